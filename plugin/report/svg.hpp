// Inline SVG charts of the report: stacked bars (gains up, losses down),
// lines and a heatmap. Every mark carries data-kpi, data-period and
// data-value (the exact value, "%.17g") and a <title> tooltip with the
// formatted value and the period, so a reader hovers for the number and
// tests/integration/report checks each mark against the kpis table.
#pragma once

#include <string>
#include <vector>

#include "report/i18n.hpp"

namespace cskpi::report {

enum class Unit { count, fraction, amount, hours, score, ratio };
// A value as the report writes it: "12.5%", "1,234.56", "3.2 h".
std::string format_value(double v, Unit unit, Lang lang);

struct Series {
  std::string kpi;     // data-kpi of the marks
  std::string label;   // legend
  std::vector<double> values;  // one per period of the axis; NaN: no mark
  int color = 1;       // CSS class c1..c6
  bool down = false;   // bars: drawn below zero (losses)
};

struct PeriodAxis {
  std::vector<std::string> iso;    // data-period
  std::vector<std::string> label;  // tick labels (period_short)
  std::vector<std::string> name;   // tooltips (period_name)
};

struct Chart {
  std::string id, title, unit_label;  // unit_label: the y axis' unit, drawn above it
  Unit unit = Unit::count;
  const PeriodAxis *axis = nullptr;
  std::vector<Series> series;
};

std::string bar_chart(const Chart &c, Lang lang);
std::string line_chart(const Chart &c, Lang lang);

struct Heatmap {
  std::string id, title, kpi, row_title, col_title;
  Unit unit = Unit::fraction;
  std::vector<std::string> row_iso, row_label;  // cohorts
  std::size_t cols = 0;                         // offsets 0..cols-1
  std::vector<double> cells;                    // rows x cols, NaN: no cell
};
std::string heatmap(const Heatmap &h, Lang lang);

// A horizontal bar of shares (the health bands, the NPS split): one rect per
// part with its count; kpi names the data-kpi of each part.
struct Part {
  std::string kpi, label;
  double count;
  int color;
};
std::string share_bar(const std::string &id, const std::vector<Part> &parts, Lang lang);

}  // namespace cskpi::report
