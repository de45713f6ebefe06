// A Dataset of customers simulated from the BG/NBD and Gamma-Gamma processes
// (docs/kpis.md §13), for the CLV tests and the CLV benchmark.
#pragma once

#include <cstdint>
#include <string>

#include "core/dataset.hpp"

namespace cskpi::test {

struct ClvTruth {
  double r = 0.8, alpha = 6.0, a = 0.9, b = 3.0;  // BG/NBD, rate per week
  double p = 6.0, q = 4.0, gamma = 15.0;          // Gamma-Gamma
};

// `customers` customers (ids "c0", "c1", ...; `segments` segments "s0", ...)
// whose first order day is uniform over the `span_days` days before as_of;
// then BG/NBD purchases (times in weeks, dated on the day they fall in) with
// Gamma-Gamma order values, one order line per purchase. Same seed, same data.
Dataset simulate_clv_dataset(std::size_t customers, const ClvTruth &truth, std::uint64_t seed,
                             const std::string &as_of = "2024-06-30", int span_days = 728, int segments = 1);

}  // namespace cskpi::test
