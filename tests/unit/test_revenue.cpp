// Revenue movements (docs/kpis.md §4): hand-computed invoice and subscription
// cases, then brute-force oracles (per customer and period / per day) on
// pseudo-random data at every granularity, with the identity
// sum v1 = sum v0 + new + reactivation + expansion - contraction - churned.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/kpi_results.hpp"
#include "kpi/revenue.hpp"
#include "support/dataset_builder.hpp"
#include "support/kpi_readers.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

using RevenueRun = RunOf<compute_revenue>;

const char *const kInvoiceKpis[] = {"revenue", "new_revenue", "reactivation_revenue", "expansion_revenue",
                                    "contraction_revenue", "churned_revenue", "nrr", "grr", "expansion_rate",
                                    "quick_ratio"};
const char *const kSubscriptionKpis[] = {"mrr_end", "new_revenue", "reactivation_revenue", "expansion_revenue",
                                         "contraction_revenue", "churned_revenue", "nrr", "grr", "expansion_rate",
                                         "quick_ratio"};

Settings mode(RevenueMode m, Granularity g = Granularity::month) {
  Settings s;
  s.revenue_mode = m;
  s.granularity = g;
  return s;
}

// The invoice-mode story, month granularity, as_of 03-15 (March partial):
//   n    Feb 100                         -> Feb new 100
//   x    Jan 100, Feb 150, Mar 150       -> Feb expansion 50 (segment "grow")
//   k    Jan 200, Feb 120 - 20 (credit)  -> Feb contraction 100
//   c    Jan 80                          -> Feb churned 80
//   r    Dec 50, Feb 70                  -> Jan churned 50, Feb reactivation 70
//   neg  Jan 60, Feb 10 - 50 (credit)    -> Feb revenue -40, v1 = 0: churned 60
//   flat Jan 30, Feb 30                  -> no movement
//   dust Feb 0.1 + 0.2 - 0.3 (segment "dust"): rounding dust, not a customer with revenue
Dataset invoice_story() {
  DatasetBuilder b("2024-03-15");
  b.customer("n").customer("x", "grow").customer("k").customer("c").customer("r").customer("neg").customer("flat");
  b.customer("dust", "dust");
  b.invoice("r", "2023-12-05", 50);
  b.invoice("x", "2024-01-10", 100).invoice("k", "2024-01-10", 200).invoice("c", "2024-01-31", 80);
  b.invoice("neg", "2024-01-15", 60).invoice("flat", "2024-01-01", 30);
  b.invoice("n", "2024-02-01", 100).invoice("x", "2024-02-10", 100).invoice("x", "2024-02-29", 50);
  b.invoice("k", "2024-02-10", 120).credit_note("k", "2024-02-20", -20);
  b.invoice("r", "2024-02-10", 70).invoice("neg", "2024-02-10", 10).credit_note("neg", "2024-02-11", -50);
  b.invoice("flat", "2024-02-28", 30);
  b.invoice("dust", "2024-02-03", 0.1).invoice("dust", "2024-02-04", 0.2).credit_note("dust", "2024-02-05", -0.3);
  b.invoice("x", "2024-03-10", 150);
  return b.build();
}

}  // namespace

TEST_CASE("revenue: invoice mode on a hand-made story", "[revenue]") {
  RevenueRun r(invoice_story(), mode(RevenueMode::invoices));
  REQUIRE(r.fx.grid.size() == 4);  // Dec, Jan, Feb, Mar
  for (const char *name : kInvoiceKpis) REQUIRE(r.out.find(name) != nullptr);
  CHECK(r.out.find("mrr_end") == nullptr);

  SECTION("December: first period, v0 = 0 for everyone") {
    CHECK(r("revenue", "2023-12-01") == 50);
    CHECK(r("new_revenue", "2023-12-01") == 50);
    CHECK(is_null(r("nrr", "2023-12-01")));
    CHECK(is_null(r("grr", "2023-12-01")));
    CHECK(is_null(r("expansion_rate", "2023-12-01")));
    CHECK(is_null(r("quick_ratio", "2023-12-01")));  // nothing lost
  }
  SECTION("January: everybody new but r, who churns") {
    // v0 = {r: 50}; v1 = {x 100, k 200, c 80, neg 60, flat 30} = 470, all new.
    CHECK(r("revenue", "2024-01-01") == 470);
    CHECK(r("new_revenue", "2024-01-01") == 470);
    CHECK(r("reactivation_revenue", "2024-01-01") == 0);
    CHECK(r("churned_revenue", "2024-01-01") == 50);
    CHECK(r("nrr", "2024-01-01") == 0);  // (50 - 50) / 50
    CHECK(r("grr", "2024-01-01") == 0);
    CHECK(r("expansion_rate", "2024-01-01") == 0);  // 0 / 1
    CHECK(r("quick_ratio", "2024-01-01") == Approx(9.4));  // 470 / 50
  }
  SECTION("February: every movement") {
    // sum v0 = x 100 + k 200 + c 80 + neg 60 + flat 30 = 470
    // sum v1 = n 100 + x 150 + k 100 + r 70 + flat 30 = 450 (neg clamped to 0, dust 0)
    // 470 + 100 + 70 + 50 - 100 - 140 = 450
    CHECK(r("revenue", "2024-02-01") == Approx(410));  // 100 + 150 + 100 + 70 - 40 + 30, unclamped
    CHECK(r("new_revenue", "2024-02-01") == 100);
    CHECK(r("reactivation_revenue", "2024-02-01") == 70);
    CHECK(r("expansion_revenue", "2024-02-01") == 50);
    CHECK(r("contraction_revenue", "2024-02-01") == 100);
    CHECK(r("churned_revenue", "2024-02-01") == 140);  // c 80 + neg 60
    CHECK(r("nrr", "2024-02-01") == Approx(280.0 / 470));  // (470 + 50 - 100 - 140) / 470
    CHECK(r("grr", "2024-02-01") == Approx(230.0 / 470));  // (470 - 100 - 140) / 470
    CHECK(r("expansion_rate", "2024-02-01") == Approx(0.2));  // x of {x, k, c, neg, flat}
    CHECK(r("quick_ratio", "2024-02-01") == Approx(220.0 / 240));  // (100 + 70 + 50) / (100 + 140)
    // Segments: x alone in "grow"; the others but dust in "unassigned".
    CHECK(r("expansion_revenue", "2024-02-01", "grow") == 50);
    CHECK(r("expansion_rate", "2024-02-01", "grow") == 1);
    CHECK(r("nrr", "2024-02-01", "grow") == Approx(1.5));
    CHECK(r("expansion_revenue", "2024-02-01", "unassigned") == 0);
    CHECK(r("expansion_rate", "2024-02-01", "unassigned") == 0);  // 0 / {k, c, neg, flat}
    CHECK(r("churned_revenue", "2024-02-01", "unassigned") == 140);
    // dust: 0.1 + 0.2 - 0.3 is 5.6e-17 in doubles; it must not make a new customer.
    CHECK(r("new_revenue", "2024-02-01", "dust") == 0);
    CHECK(r("revenue", "2024-02-01", "dust") == 0);
  }
  SECTION("March (partial): x flat, the others churn") {
    // v0 = 450 (Feb v1), v1 = x 150; churned n 100 + k 100 + r 70 + flat 30 = 300.
    CHECK(r("revenue", "2024-03-01") == 150);
    CHECK(r("churned_revenue", "2024-03-01") == 300);
    CHECK(r("expansion_revenue", "2024-03-01") == 0);
    CHECK(r("nrr", "2024-03-01") == Approx(150.0 / 450));
    CHECK(r("grr", "2024-03-01") == Approx(150.0 / 450));
    CHECK(r("quick_ratio", "2024-03-01") == 0);  // 0 / 300
    CHECK(r("churned_revenue", "2024-03-01", "dust") == 0);
    CHECK(is_null(r("nrr", "2024-03-01", "dust")));  // sum v0 = 0 in the segment
  }
}

TEST_CASE("revenue: a narrowed grid still sees P' and earlier periods before it", "[revenue]") {
  // February alone: v0 comes from January and r's reactivation from December,
  // both outside the reported range.
  Fixture fx(invoice_story(), mode(RevenueMode::invoices));
  PeriodGrid feb(Granularity::month, day("2024-02-01"), day("2024-02-29"));
  KpiResults out(feb, fx.slot_names());
  compute_revenue(KpiContext{fx.data, fx.settings, feb, fx.activity}, out);
  REQUIRE(feb.size() == 1);
  CHECK(out.get(*out.find("reactivation_revenue"), 0, 0) == 70);
  CHECK(out.get(*out.find("new_revenue"), 0, 0) == 100);
  CHECK(out.get(*out.find("churned_revenue"), 0, 0) == 140);
  CHECK(out.get(*out.find("nrr"), 0, 0) == Approx(280.0 / 470));
}

TEST_CASE("revenue: absent source gives null everywhere, present but empty gives zeros", "[revenue]") {
  SECTION("invoice mode without invoices") {
    DatasetBuilder b("2024-03-15");
    b.customer("a").order_line("o", "a", "2024-01-10", 10);
    RevenueRun r(b.build(), mode(RevenueMode::invoices));
    for (const char *name : kInvoiceKpis)
      for (double v : r.out.find(name)->values) CHECK(is_null(v));
  }
  SECTION("subscription mode without subscriptions (invoices do not help)") {
    DatasetBuilder b("2024-03-15");
    b.customer("a").invoice("a", "2024-01-10", 10);
    RevenueRun r(b.build(), mode(RevenueMode::subscriptions));
    CHECK(r.out.find("revenue") == nullptr);
    for (const char *name : kSubscriptionKpis)
      for (double v : r.out.find(name)->values) CHECK(is_null(v));
  }
  SECTION("invoices present, no rows") {
    DatasetBuilder b("2024-03-15");
    b.customer("a").order_line("o", "a", "2024-01-10", 10).with_invoices();
    RevenueRun r(b.build(), mode(RevenueMode::invoices));
    CHECK(r("revenue", "2024-02-01") == 0);
    CHECK(r("new_revenue", "2024-02-01") == 0);
    CHECK(is_null(r("nrr", "2024-02-01")));
    CHECK(is_null(r("quick_ratio", "2024-02-01")));
  }
}

TEST_CASE("revenue: subscription mode, overlapping contracts, an upgrade, churn and reactivation", "[revenue]") {
  // month, as_of 03-20 (March partial, t1 = 03-20). MRR on t0 / t1:
  //   s1  A [01-01, open) 100 + B [02-10, 03-10) 50 (overlap: 150)  Jan 0->100 new, Feb 100->150 exp 50, Mar 150->100 contr 50
  //   s2  [01-15, 02-15) 40, then [02-15, open) 90 (upgrade)        Jan 0->40 new, Feb 40->90 exp 50, Mar 90->90
  //   s3  [01-05, 02-05) 30, [03-01, open) 30                       Jan new 30, Feb 30->0 churn 30, Mar 0->30 reactivation
  //   s4  [01-10, 03-21) 20: ends on as_of + 1, still MRR on t1     Jan new 20, Feb, Mar flat
  //   s5  [02-05, 02-20) 60, [03-05, open) 10: positive only inside February, yet a reactivation in March
  //   s6  [02-28, 02-29) 5, [03-02, open) 7: positive only on 02-28 = t0(March) - 1: a reactivation in March
  // Jan: v0 0, v1 190 (= mrr_end), new 190.
  // Feb: v0 190, v1 260: exp 100, churned 30 -> 190 + 100 - 30 = 260.
  // Mar: v0 260, v1 257: contr 50, reactivation 30 + 10 + 7 = 47 -> 260 - 50 + 47 = 257.
  DatasetBuilder b("2024-03-20");
  for (const char *c : {"s1", "s2", "s3", "s4", "s5", "s6"}) b.customer(c, "ent");
  b.subscription("s1", "2024-01-01", std::nullopt, 100).subscription("s1", "2024-02-10", "2024-03-10", 50);
  b.subscription("s2", "2024-01-15", "2024-02-15", 40).subscription("s2", "2024-02-15", std::nullopt, 90);
  b.subscription("s3", "2024-01-05", "2024-02-05", 30).subscription("s3", "2024-03-01", std::nullopt, 30);
  b.subscription("s4", "2024-01-10", "2024-03-21", 20);
  b.subscription("s5", "2024-02-05", "2024-02-20", 60).subscription("s5", "2024-03-05", std::nullopt, 10);
  b.subscription("s6", "2024-02-28", "2024-02-29", 5).subscription("s6", "2024-03-02", std::nullopt, 7);
  RevenueRun r(b.build(), mode(RevenueMode::subscriptions));
  REQUIRE(r.fx.grid.size() == 3);
  CHECK(r.out.find("revenue") == nullptr);

  CHECK(r("mrr_end", "2024-01-01") == 190);
  CHECK(r("new_revenue", "2024-01-01") == 190);
  CHECK(is_null(r("nrr", "2024-01-01")));

  CHECK(r("mrr_end", "2024-02-01") == 260);
  CHECK(r("expansion_revenue", "2024-02-01") == 100);
  CHECK(r("churned_revenue", "2024-02-01") == 30);
  CHECK(r("new_revenue", "2024-02-01") == 0);
  CHECK(r("nrr", "2024-02-01") == Approx(260.0 / 190));
  CHECK(r("grr", "2024-02-01") == Approx(160.0 / 190));
  CHECK(r("expansion_rate", "2024-02-01") == Approx(0.5));  // s1, s2 of s1..s4
  CHECK(r("quick_ratio", "2024-02-01") == Approx(100.0 / 30));

  CHECK(r("mrr_end", "2024-03-01") == 257);
  CHECK(r("contraction_revenue", "2024-03-01") == 50);
  CHECK(r("reactivation_revenue", "2024-03-01") == 47);  // s3 30 + s5 10 + s6 7
  CHECK(r("new_revenue", "2024-03-01") == 0);
  CHECK(r("churned_revenue", "2024-03-01") == 0);         // s4 ends after as_of
  CHECK(r("nrr", "2024-03-01") == Approx(210.0 / 260));
  CHECK(r("grr", "2024-03-01") == Approx(210.0 / 260));
  CHECK(r("expansion_rate", "2024-03-01") == 0);          // 0 / {s1, s2, s4}
  CHECK(r("quick_ratio", "2024-03-01") == Approx(0.94));  // 47 / 50
  CHECK(r("mrr_end", "2024-03-01", "ent") == 257);

  // The sums behind nrr, from revenue_flow.
  RevenueFlow f = revenue_flow(r.fx.context(), r.out.slots());
  CHECK(f.v0(2, 0) == 260);
  CHECK(f.v1(2, 0) == 257);
}

TEST_CASE("revenue: subscription MRR that cancels out to rounding dust is zero", "[revenue]") {
  // 0.1 + 0.2 - 0.1 - 0.2 is 5.6e-17 in doubles. d: [01-05, 02-10) 0.1 and [01-06, 02-10) 0.2:
  // February churns the whole 0.3 and the customer has no MRR left on t1.
  DatasetBuilder b("2024-03-20");
  b.customer("d");
  b.subscription("d", "2024-01-05", "2024-02-10", 0.1).subscription("d", "2024-01-06", "2024-02-10", 0.2);
  RevenueRun r(b.build(), mode(RevenueMode::subscriptions));
  CHECK(r("new_revenue", "2024-01-01") == Approx(0.3));
  CHECK(r("churned_revenue", "2024-02-01") == Approx(0.3));
  CHECK(r("mrr_end", "2024-02-01") == 0);
  CHECK(r("churned_revenue", "2024-03-01") == 0);
  CHECK(is_null(r("nrr", "2024-03-01")));  // sum v0 = 0
}

// ---------------------------------------------------------------------------
// Brute-force oracles on pseudo-random data.

namespace {

const Granularity kGranularities[] = {Granularity::day, Granularity::week, Granularity::month,
                                      Granularity::quarter, Granularity::year};

// Whole-unit amounts: sums are exact, so the oracle needs no rounding rules.
Dataset random_dataset(unsigned seed, const std::string &as_of) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  DatasetBuilder b(as_of);
  const Day first = day("2022-11-15"), last = day(as_of);
  const char *segments[] = {"smb", "ent", nullptr};
  b.with_invoices().with_subscriptions();
  for (int c = 0; c < 250; ++c) {
    std::string id = "c" + std::to_string(c);
    const char *seg = segments[uniform(0, 2)];
    if (c % 17 != 0) b.customer(id, seg ? std::optional<std::string>(seg) : std::nullopt);  // else implied
    for (int k = uniform(0, 8); k > 0; --k) {
      Day d = first + uniform(0, last - first);
      if (uniform(0, 4) == 0) b.credit_note(id, format_day(d), -uniform(1, 300));
      else b.invoice(id, format_day(d), uniform(0, 200));
    }
    for (int k = uniform(0, 3); k > 0; --k) {
      Day s = first + uniform(0, last - first);
      std::optional<std::string> e;
      if (uniform(0, 2) != 0) e = format_day(s + uniform(1, 400));  // may end after as_of
      b.subscription(id, format_day(s), e, uniform(-5, 100));       // a few negative (discount) lines
    }
  }
  return b.build();
}

struct Expected {
  std::size_t slots;
  std::vector<double> v0, v1, book, fresh, back, up, down, lost, payers0, expanding;
  Expected(std::size_t periods, std::size_t s) : slots(s) {
    for (auto *v : {&v0, &v1, &book, &fresh, &back, &up, &down, &lost, &payers0, &expanding})
      v->assign(periods * slots, 0.0);
  }
  void add(std::vector<double> &v, std::size_t p, std::size_t slot, double x) {
    v[p * slots] += x;
    v[p * slots + slot] += x;
  }
  // §4: exactly one movement per customer.
  void customer(std::size_t p, std::size_t slot, double raw0, double raw1, bool had_positive) {
    double a = std::max(0.0, raw0), b = std::max(0.0, raw1);
    add(v0, p, slot, a);
    add(v1, p, slot, b);
    add(payers0, p, slot, a > 0);
    if (a == 0 && b > 0) add(had_positive ? back : fresh, p, slot, b);
    if (a > 0 && b == 0) add(lost, p, slot, a);
    if (a > 0 && b > a) {
      add(up, p, slot, b - a);
      add(expanding, p, slot, 1);
    }
    if (b > 0 && b < a) add(down, p, slot, a - b);
  }
  double at(const std::vector<double> &v, std::size_t p, std::size_t s) const { return v[p * slots + s]; }
};

// Calls each(slot, rows) for every customer, rows being the customer's row numbers
// in a source's customer column (only to keep the scans below short).
template <class Each>
void for_each_customer(const Fixture &fx, const std::vector<std::uint32_t> &customer, Each each) {
  std::vector<std::vector<std::size_t>> rows(fx.data.customer_count());
  for (std::size_t i = 0; i < customer.size(); ++i) rows[customer[i]].push_back(i);
  for (std::uint32_t c = 0; c < fx.data.customer_count(); ++c) each(1 + fx.data.customers.segment[c], rows[c]);
}

// Invoice mode: revenue of every customer in every period, by scanning all rows.
Expected invoice_oracle(const Fixture &fx, std::size_t slots) {
  const PeriodGrid &g = fx.grid;
  const Invoices &inv = fx.data.invoices;
  Expected e(g.size(), slots);
  for_each_customer(fx, inv.customer, [&](std::size_t slot, const std::vector<std::size_t> &rows) {
    auto revenue_in = [&](Day from, Day to) {
      double s = 0;
      for (std::size_t i : rows)
        if (inv.day[i] >= from && inv.day[i] < to) s += inv.amount[i];
      return s;
    };
    // P' of the first period holds no data (the grid starts at the first date).
    double before = revenue_in(period_floor(g.granularity(), g[0].start - 1), g[0].start);
    bool had_positive = false;  // a period before P' had positive revenue
    for (std::size_t p = 0; p < g.size(); ++p) {
      double now = revenue_in(g[p].start, g[p].end);
      e.customer(p, slot, before, now, had_positive);
      e.add(e.book, p, slot, now);
      had_positive = had_positive || before > 0;
      before = now;
    }
  });
  return e;
}

// Subscription mode: MRR of every customer on every day, by scanning all rows.
Expected subscription_oracle(const Fixture &fx, std::size_t slots) {
  const PeriodGrid &g = fx.grid;
  const Subscriptions &sub = fx.data.subscriptions;
  Expected e(g.size(), slots);
  for_each_customer(fx, sub.customer, [&](std::size_t slot, const std::vector<std::size_t> &rows) {
    auto mrr_on = [&](Day t) {
      double s = 0;
      for (std::size_t i : rows)
        if (sub.start[i] <= t && (sub.end[i] == kNoDay || t < sub.end[i])) s += sub.mrr[i];
      return s;
    };
    Day first_positive = kNoDay;
    for (Day t = g.t0(0) - 400; t <= fx.data.as_of && first_positive == kNoDay; ++t)
      if (mrr_on(t) > 0) first_positive = t;
    for (std::size_t p = 0; p < g.size(); ++p) {
      bool had_positive = first_positive != kNoDay && first_positive < g.t0(p);
      e.customer(p, slot, mrr_on(g.t0(p)), mrr_on(g.t1(p)), had_positive);
      e.add(e.book, p, slot, mrr_on(g.t1(p)));
    }
  });
  return e;
}

void check(const Fixture &fx, const Expected &e, const char *book_name) {
  KpiResults out(fx.grid, fx.slot_names());
  compute_revenue(fx.context(), out);
  RevenueFlow f = revenue_flow(fx.context(), out.slots());
  auto get = [&](const char *name, std::size_t p, std::size_t s) { return out.get(*out.find(name), p, s); };
  auto same = [](double got, double want) {
    return is_null(want) ? is_null(got) : (!is_null(got) && got == Approx(want).margin(1e-9));
  };
  auto ratio_of = [](double a, double b) { return b == 0 ? kNull : a / b; };
  std::size_t mismatches = 0, movements = 0;
  for (std::size_t p = 0; p < fx.grid.size(); ++p)
    for (std::size_t s = 0; s < out.slots(); ++s) {
      double v0 = e.at(e.v0, p, s), up = e.at(e.up, p, s), down = e.at(e.down, p, s), lost = e.at(e.lost, p, s);
      double gained = e.at(e.fresh, p, s) + e.at(e.back, p, s) + up;
      movements += gained + down + lost > 0;
      bool ok = same(get(book_name, p, s), e.at(e.book, p, s)) && same(get("new_revenue", p, s), e.at(e.fresh, p, s)) &&
                same(get("reactivation_revenue", p, s), e.at(e.back, p, s)) &&
                same(get("expansion_revenue", p, s), up) && same(get("contraction_revenue", p, s), down) &&
                same(get("churned_revenue", p, s), lost) && same(get("nrr", p, s), ratio_of(v0 + up - down - lost, v0)) &&
                same(get("grr", p, s), ratio_of(v0 - down - lost, v0)) &&
                same(get("expansion_rate", p, s), ratio_of(e.at(e.expanding, p, s), e.at(e.payers0, p, s))) &&
                same(get("quick_ratio", p, s), ratio_of(gained, down + lost)) && same(f.v0(p, s), v0) &&
                same(f.v1(p, s), e.at(e.v1, p, s));
      // The identity of §4 on the module's own numbers.
      double rhs = f.v0(p, s) + get("new_revenue", p, s) + get("reactivation_revenue", p, s) +
                   get("expansion_revenue", p, s) - get("contraction_revenue", p, s) - get("churned_revenue", p, s);
      ok = ok && f.v1(p, s) == Approx(rhs).margin(1e-9);
      // Consecutive periods chain: this period's v1 is the next one's v0.
      if (p + 1 < fx.grid.size()) ok = ok && f.v1(p, s) == Approx(f.v0(p + 1, s)).margin(1e-9);
      if (!ok && ++mismatches <= 5)
        FAIL_CHECK("period " << format_day(fx.grid[p].start) << " slot " << out.slot_names()[s] << ": v0 " << v0
                             << " v1 " << e.at(e.v1, p, s) << " new " << e.at(e.fresh, p, s) << " back "
                             << e.at(e.back, p, s) << " up " << up << " down " << down << " lost " << lost);
    }
  CHECK(mismatches == 0);
  CHECK(movements > 0);  // the data exercises something
}

}  // namespace

TEST_CASE("revenue: invoice mode matches a brute force on random data at every granularity", "[revenue][random]") {
  for (Granularity g : kGranularities) {
    INFO("granularity " << granularity_name(g));
    Fixture fx(random_dataset(424242u, "2024-05-20"), mode(RevenueMode::invoices, g));
    check(fx, invoice_oracle(fx, 1 + fx.data.segments.size()), "revenue");
  }
}

TEST_CASE("revenue: subscription mode matches a per-day brute force on random data at every granularity",
          "[revenue][random]") {
  for (Granularity g : kGranularities) {
    INFO("granularity " << granularity_name(g));
    Fixture fx(random_dataset(99u, "2024-05-20"), mode(RevenueMode::subscriptions, g));
    check(fx, subscription_oracle(fx, 1 + fx.data.segments.size()), "mrr_end");
  }
}
