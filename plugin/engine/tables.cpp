// The long KPI table with its comparisons (docs/kpis.md §2.3) and the data-quality
// table (§11).
#include <cmath>

#include "engine/engine.hpp"

namespace cskpi {
namespace {

// Absolute and relative change of value against base; null where a side is
// null or (relative) the base is 0.
double change(double value, double base) { return (is_null(value) || is_null(base)) ? kNull : value - base; }
double change_rate(double value, double base) {
  return (is_null(value) || is_null(base) || base == 0) ? kNull : (value - base) / std::fabs(base);
}

// Index of the period one year before period i, or -1 when it is outside
// the grid (the comparison is then null).
std::vector<int> year_ago_index(const PeriodGrid &grid) {
  std::vector<int> out(grid.size(), -1);
  for (std::size_t i = 0; i < grid.size(); ++i) {
    Day start = period_year_ago(grid.granularity(), grid[i].start);
    int j = grid.index_of(start);
    if (j >= 0 && grid[static_cast<std::size_t>(j)].start == start) out[i] = j;
  }
  return out;
}

}  // namespace

Table kpi_long_table(const KpiResults &results, Day from, Day to) {
  Table t(kKpisTable);
  const auto c_kpi = t.column_index("kpi"), c_gran = t.column_index("granularity"),
             c_start = t.column_index("period_start"), c_seg = t.column_index("segment"),
             c_value = t.column_index("value"), c_partial = t.column_index("partial");
  const auto c_prev = t.column_index("value_previous"), c_prev_ch = t.column_index("change_previous"),
             c_prev_rate = t.column_index("change_rate_previous");
  const auto c_yoy = t.column_index("value_year_ago"), c_yoy_ch = t.column_index("change_year_ago"),
             c_yoy_rate = t.column_index("change_rate_year_ago");

  const auto &grid = results.grid();
  const char *gran = granularity_name(grid.granularity());
  auto yoy = year_ago_index(grid);
  for (const auto &m : results.kpis()) {
    for (std::size_t p = 0; p < grid.size(); ++p) {
      if (from != kNoDay && grid[p].end <= from) continue;
      if (to != kNoDay && grid[p].start > to) continue;
      for (std::size_t s = 0; s < results.slots(); ++s) {
        double v = results.get(m, p, s);
        double prev = p > 0 ? results.get(m, p - 1, s) : kNull;
        double ago = yoy[p] >= 0 ? results.get(m, static_cast<std::size_t>(yoy[p]), s) : kNull;
        t.push_text(c_kpi, m.name);
        t.push_text(c_gran, gran);
        t.push_date(c_start, grid[p].start);
        t.push_text(c_seg, results.slot_names()[s]);
        t.push_real(c_value, v);
        t.push_bool(c_partial, grid.partial(p));
        t.push_real(c_prev, prev);
        t.push_real(c_prev_ch, change(v, prev));
        t.push_real(c_prev_rate, change_rate(v, prev));
        t.push_real(c_yoy, ago);
        t.push_real(c_yoy_ch, change(v, ago));
        t.push_real(c_yoy_rate, change_rate(v, ago));
      }
    }
  }
  return t;
}

Table data_quality_table(const Dataset &data) {
  Table t(kDataQualityTable);
  const auto c_source = t.column_index("source"), c_reason = t.column_index("reason"), c_rows = t.column_index("rows"),
             c_action = t.column_index("action");
  for (const auto &[key, f] : data.quality.findings()) {
    t.push_text(c_source, key.first);
    t.push_text(c_reason, key.second);
    t.push_int(c_rows, f.rows);
    t.push_text(c_action, f.skipped ? "skipped" : "flagged");
  }
  return t;
}

Table sources_table(const Dataset &data) {
  Table t(kSourcesTable);
  const auto c_source = t.column_index("source"), c_rows = t.column_index("rows_read");
  for (const auto &[source, rows] : data.rows_read) {
    t.push_text(c_source, source);
    t.push_int(c_rows, rows);
  }
  return t;
}

}  // namespace cskpi
