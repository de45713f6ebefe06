// The simulation's one source of randomness. One std::mt19937_64 (its
// output is fixed by the standard) drives everything, in event order; every
// distribution is computed here from uniform doubles (std:: distributions
// differ between standard libraries), so the same seed gives the same rows
// everywhere.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <random>

namespace cskpi::demo {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : g_(seed) {}
  // Uniform in [0, 1) with 53 random bits.
  double u() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1): safe for log().
  double u_open() { return (static_cast<double>(g_() >> 11) + 0.5) * 0x1.0p-53; }
  bool chance(double p) { return u() < p; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * u(); }
  // Integer uniform in [lo, hi].
  int range(int lo, int hi) { return lo + static_cast<int>(u() * (hi - lo + 1)); }
  // Standard normal (Box-Muller; the second value is dropped for simplicity).
  double normal() { return std::sqrt(-2.0 * std::log(u_open())) * std::cos(6.283185307179586 * u()); }
  // Long-tailed positive values: median and log-space spread.
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
  double exponential(double mean) { return -mean * std::log(u_open()); }
  // Index drawn with the given (not necessarily normalised) weights.
  template <std::size_t N>
  int pick(const std::array<double, N> &w) {
    double total = 0;
    for (double x : w) total += x;
    double v = u() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if (v < w[i]) return static_cast<int>(i);
      v -= w[i];
    }
    return static_cast<int>(N - 1);
  }

 private:
  std::mt19937_64 g_;
};

}  // namespace cskpi::demo
