// Subscriptions: service contracts (plans by segment, add-ons, upgrades,
// alternatives never signed) and one invoice per billing period.
#include "simulation.hpp"

#include <cmath>
#include <limits>

namespace cskpi::demo {

void Generator::subscription_start(const Event &e) {
  Customer &c = customers_[e.cust];
  if (c.gone || e.t >= c.churn_at) return;
  const std::int64_t day = day_of(e.t);
  const bool addon = e.a == 1;
  const bool upgrade = e.a == 2;

  // Plan and price by segment; upgrades carry the new monthly value in x.
  static const char *const kPlans[] = {"Support Basic", "Support Pro", "Enterprise Care"};
  const int tier = std::min<int>(c.segment == kNoSegment ? 0 : c.segment, 2);
  static constexpr double kMrrLo[] = {49, 290, 1900}, kMrrHi[] = {149, 990, 7900};
  double mrr_eur = upgrade ? e.x : std::exp(rng_.uniform(std::log(kMrrLo[tier]), std::log(kMrrHi[tier])));
  if (addon) mrr_eur *= 0.3;
  const int rule = upgrade ? e.a2 : rng_.pick(tier == 0 ? std::array<double, 3>{100, 0, 0}
                                              : tier == 1 ? std::array<double, 3>{60, 0, 40}
                                                          : std::array<double, 3>{40, 25, 35});
  static constexpr int kMonths[] = {1, 3, 12};
  static const char *const kRule[] = {"monthly", "quarterly", "yearly"};
  const double rate = rate_of(c, day);
  // Prices are agreed in the customer's currency, as a round figure.
  const double total = std::round(mrr_eur / rate * kMonths[rule]);
  const std::string plan = addon ? "Add-on: extra seats" : upgrade ? std::string(kPlans[tier]) + " Plus" : kPlans[tier];

  // Lifetime: an exponential number of months, but not beyond the customer.
  std::int64_t last = day + static_cast<std::int64_t>(rng_.exponential(28 * 30.4)) + 30;
  bool ends_with_churn = false;
  if (c.churn_at != kNever && day_of(c.churn_at) + 60 < last) {
    last = day_of(c.churn_at) + rng_.range(0, 60);
    ends_with_churn = true;
  }
  const bool upgraded = !ends_with_churn && !addon && last < last_day_ && rng_.chance(0.3);
  const std::int64_t id = ++subscription_id_;
  const bool open = last >= last_day_;
  std::string date_end;
  if (!open) date_end = fmt_date(last).str();
  else if (rule == 2) {
    // Yearly contracts run by terms: the current term's last day.
    std::int64_t term_end = add_months(to_day(day), 12) - 1;
    while (term_end < last_day_) term_end = add_months(to_day(term_end + 1), 12) - 1;
    date_end = fmt_date(term_end).str();
  }
  const char *reason = open ? nullptr : upgraded ? "Upgraded" : ends_with_churn ? "Customer left" : "Cancelled by customer";
  subscription_.i(id).s(padded("SUB", id, 6)).i(c.partner).s(plan).s(fmt_date(day)).s_or_null(!date_end.empty(), date_end)
      .s(kRule[rule]).r(total).s(currency_of(c)).r(rate).s(open ? "in_progress" : "closed")
      .s_or_null(reason != nullptr, reason ? reason : "").s(fmt_ts(e.t))
      .s(fmt_ts(open ? e.t : std::max(e.t, last * kDay + 18 * kHour))).end_row();
  c.sub_until = std::max(c.sub_until, (std::min(last, last_day_) + 1) * kDay);

  Event bill;
  bill.b = id;
  bill.a = kMonths[rule];
  bill.a2 = static_cast<std::int32_t>(open ? std::numeric_limits<std::int32_t>::max() : last);
  bill.x = total;
  push(e.t + kHour, Kind::subscription_billing, e.cust, bill);

  if (upgraded) {
    Event up;
    up.a = 2;
    up.a2 = rule;
    up.x = mrr_eur * rng_.uniform(1.2, 1.8);
    push((last + 1) * kDay + 9 * kHour, Kind::subscription_start, e.cust, up);
  }
  if (!addon && !upgrade && rng_.chance(0.12)) {
    Event add;
    add.a = 1;
    push(office_time(day + rng_.range(60, 400)), Kind::subscription_start, e.cust, add);
  }
  // Other quotations for the same customer that never ran.
  if (!upgrade && rng_.chance(0.08)) {
    const std::int64_t q = ++subscription_id_;
    subscription_.i(q).s(padded("SUB", q, 6)).i(c.partner).s(std::string(kPlans[tier]) + " (alternative)")
        .s(fmt_date(day)).null().s("monthly").r(std::round(mrr_eur * 1.2)).s(currency_of(c)).r(rate)
        .s(day > last_day_ - 60 ? "draft" : "cancelled").null().created(fmt_ts(e.t)).end_row();
  }
}

// One invoice per billing period, from the contract start while it runs.
void Generator::subscription_billing(const Event &e) {
  Customer &c = customers_[e.cust];
  const std::int64_t day = day_of(e.t);
  if (day > e.a2) return;
  write_customer_invoice(c, c.partner, e.t, e.x, padded("SUB", e.b, 6), 0, e.b);
  Event next = e;
  push(add_months(to_day(day), e.a) * kDay + 8 * kHour, Kind::subscription_billing, e.cust, next);
}

}  // namespace cskpi::demo
