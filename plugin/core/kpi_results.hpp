// Period KPI values: for each KPI a dense matrix [period x slot] of doubles,
// NaN meaning null (undefined or unavailable). Slot 0 is segment "all",
// slot 1 + s is customer segment s of Dataset::segments.
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <deque>
#include <vector>

#include "core/calendar.hpp"

namespace cskpi {

inline constexpr double kNull = std::numeric_limits<double>::quiet_NaN();
inline bool is_null(double v) { return std::isnan(v); }
// a / b, or null when b == 0 or either side is null.
inline double ratio(double a, double b) { return (b == 0 || is_null(a) || is_null(b)) ? kNull : a / b; }

struct KpiMatrix {
  std::string name;
  std::vector<double> values;  // periods * slots, row-major by period
};

class KpiResults {
 public:
  KpiResults(const PeriodGrid &grid, std::vector<std::string> slot_names);

  const PeriodGrid &grid() const { return grid_; }
  std::size_t slots() const { return slot_names_.size(); }
  const std::vector<std::string> &slot_names() const { return slot_names_; }

  // Adds a KPI whose every value starts null; returns its matrix.
  KpiMatrix &add(const std::string &name);
  double &at(KpiMatrix &m, std::size_t period, std::size_t slot) { return m.values[period * slots() + slot]; }
  double get(const KpiMatrix &m, std::size_t period, std::size_t slot) const { return m.values[period * slots() + slot]; }
  // Finds a KPI by name (nullptr when not computed).
  const KpiMatrix *find(const std::string &name) const;
  const std::deque<KpiMatrix> &kpis() const { return kpis_; }

 private:
  PeriodGrid grid_;
  std::vector<std::string> slot_names_;
  std::deque<KpiMatrix> kpis_;  // stable order: the order modules add them
};

}  // namespace cskpi
