// Order statistics shared by the KPI modules (docs/kpis.md §6: percentiles use
// linear interpolation between closest ranks).
#pragma once

#include <span>
#include <vector>

namespace cskpi {

// p-th percentile (p in [0, 1]) of values already sorted ascending:
// h = (n-1)p, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
// NaN when empty. Lets a caller take several percentiles after one sort.
double percentile_sorted(std::span<const double> sorted, double p);

// Same, for unsorted values: sorts them in place first.
double percentile(std::span<double> values, double p);
double percentile(std::vector<double> &values, double p);

}  // namespace cskpi
