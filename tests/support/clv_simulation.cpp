#include "support/clv_simulation.hpp"

#include <random>

namespace cskpi::test {

Dataset simulate_clv_dataset(std::size_t customers, const ClvTruth &truth, std::uint64_t seed, const std::string &as_of,
                             int span_days, int segments) {
  Dataset d;
  d.as_of = parse_day(as_of);
  d.first_day = d.as_of - span_days;
  for (int s = 0; s < segments; ++s) d.segments.intern("s" + std::to_string(s));
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> lambda(truth.r, 1 / truth.alpha), nu(truth.q, 1 / truth.gamma);
  std::uniform_int_distribution<int> first(1, span_days);
  auto beta = [&](double a, double b) {
    double u = std::gamma_distribution<double>(a, 1)(rng), v = std::gamma_distribution<double>(b, 1)(rng);
    return u / (u + v);
  };
  auto line = [&](std::uint32_t c, Day day, double amount) {
    d.order_lines.order.push_back(d.order_lines.orders.intern(std::to_string(d.order_lines.order.size())));
    d.order_lines.customer.push_back(c);
    d.order_lines.day.push_back(day);
    d.order_lines.category.push_back(0);
    d.order_lines.amount.push_back(amount);
  };
  d.categories.intern("unknown");
  for (std::size_t i = 0; i < customers; ++i) {
    const auto c = d.customers.ids.intern("c" + std::to_string(i));
    d.customers.segment.push_back(static_cast<std::uint32_t>(i % static_cast<std::size_t>(segments)));
    d.customers.created_on.push_back(kNoDay);
    d.customers.known.push_back(1);
    const Day start = d.as_of - first(rng);
    const double T = (d.as_of - start) / 7.0, rate = lambda(rng), drop = beta(truth.a, truth.b);
    std::gamma_distribution<double> value(truth.p, 1 / nu(rng));
    std::exponential_distribution<double> gap(rate);
    std::bernoulli_distribution leaves(drop);
    line(c, start, value(rng));
    for (double t = gap(rng); t <= T; t += gap(rng)) {
      line(c, start + static_cast<Day>(t * 7), value(rng));
      if (leaves(rng)) break;
    }
  }
  return d;
}

}  // namespace cskpi::test
