#include "core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cskpi {

double percentile_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = static_cast<double>(sorted.size() - 1) * std::clamp(p, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  // At p = 1 (or n = 1) there is no rank above: the value is x[lo] itself.
  if (lo + 1 >= sorted.size()) return sorted[lo];
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

double percentile(std::span<double> values, double p) {
  std::sort(values.begin(), values.end());
  return percentile_sorted(values, p);
}

double percentile(std::vector<double> &values, double p) { return percentile(std::span<double>(values), p); }

}  // namespace cskpi
