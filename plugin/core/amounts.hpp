// Rules about money amounts shared by the loader and the KPI modules.
#pragma once

#include <cmath>

namespace cskpi {

// Amounts that cancel out (an invoice credited in parts, 0.1 + 0.2 - 0.3;
// returns that cancel sales to the cent) leave rounding dust whose sign
// depends on the summation order. A sum within this fraction of the sum of
// the absolute values of its terms is zero (docs/kpis.md §4.5, §5.4).
inline constexpr double kDust = 1e-9;
inline double snap_dust(double sum, double magnitude) { return std::abs(sum) <= kDust * magnitude ? 0.0 : sum; }

// No ERP amount is near 1e15 (a thousand trillion in the company currency):
// one beyond it is a typo or a sentinel, and summing a few of 1e308 would
// make KPIs infinite. Such amounts are bad values (docs/kpis.md §11), so
// every sum of kept amounts stays finite.
inline constexpr double kMaxAmount = 1e15;
inline bool plausible_amount(double v) { return std::abs(v) <= kMaxAmount; }  // false for NaN too

}  // namespace cskpi
