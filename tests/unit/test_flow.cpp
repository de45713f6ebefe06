// Customer flow (docs/kpis.md §3): hand-computed cases on tiny datasets, then a
// day-by-day brute-force simulation of the definitions as the oracle for a
// pseudo-random dataset at every granularity.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/kpi_results.hpp"
#include "kpi/flow.hpp"
#include "support/dataset_builder.hpp"
#include "support/kpi_readers.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

// Runs compute_flow on a dataset and reads values by KPI, period start, slot.
using FlowRun = RunOf<compute_flow>;

Settings settings_with(int inactivity_days, Granularity g = Granularity::month) {
  Settings s;
  s.inactivity_days = inactivity_days;
  s.granularity = g;
  return s;
}

}  // namespace

TEST_CASE("flow: every KPI of §3 is produced, one value or null per period and slot", "[flow]") {
  DatasetBuilder b("2024-02-10");
  b.customer("a", "smb").order_line("o1", "a", "2024-01-05", 10);
  FlowRun r(b.build(), settings_with(10));
  for (const char *name : {"customers_active_start", "customers_active_end", "customers_new", "customers_reactivated",
                           "customers_churned", "retention_rate", "churn_rate", "churn_to_new_ratio", "active_ratio",
                           "activation_rate"}) {
    const KpiMatrix *m = r.out.find(name);
    REQUIRE(m != nullptr);
    CHECK(m->values.size() == r.fx.grid.size() * r.out.slots());
  }
  CHECK(r.fx.grid.size() == 2);   // Jan, Feb (partial)
  CHECK(r.out.slots() == 2);      // all, smb
}

TEST_CASE("flow: gap of exactly W days keeps one spell, W + 1 days churns and reactivates (W = 10)", "[flow]") {
  // a: orders 01-05 and 01-15 (gap 10 = W): active 01-05..01-24, one spell [01-05, 01-25).
  // b: orders 01-05 and 01-16 (gap 11): spells [01-05, 01-15) and [01-16, 01-26);
  //    01-15 is an inactive day (churn), 01-16 a reactivation.
  DatasetBuilder b("2024-03-31");
  b.customer("a").customer("b");
  b.order_line("a1", "a", "2024-01-05", 10).order_line("a2", "a", "2024-01-15", 10);
  b.order_line("b1", "b", "2024-01-05", 10).order_line("b2", "b", "2024-01-16", 10);
  Dataset d = b.build();

  SECTION("month") {
    FlowRun r(std::move(d), settings_with(10));
    // January: nobody active on 12-31 or on 01-31; new = a, b; reactivated = b's second
    // spell; churned = a (01-25), b (01-15), b (01-26). 0 = 0 + 2 + 1 - 3.
    // Rates: A0 empty -> retention and churn null; churn_to_new 3 / 2; active_ratio 0 active / 2 ever started.
    r.check("2024-01-01", {{"customers_active_start", 0}, {"customers_active_end", 0}, {"customers_new", 2},
                           {"customers_reactivated", 1}, {"customers_churned", 3}, {"retention_rate", kNull},
                           {"churn_rate", kNull}, {"churn_to_new_ratio", 1.5}, {"active_ratio", 0}});
    // February: nothing happens; no new customers -> churn_to_new null.
    r.check("2024-02-01", {{"customers_churned", 0}, {"churn_to_new_ratio", kNull}, {"retention_rate", kNull}});
  }
  SECTION("day: the exact churn and reactivation days") {
    FlowRun r(std::move(d), settings_with(10, Granularity::day));
    r.check("2024-01-05", {{"customers_new", 2}});
    // 01-15: b churns (the W + 1 gap); only a active; A0 (01-14) = {a, b}, A1 = {a}.
    r.check("2024-01-15", {{"customers_churned", 1}, {"customers_active_end", 1}, {"retention_rate", 0.5},
                           {"customers_reactivated", 0}});
    r.check("2024-01-16", {{"customers_reactivated", 1}});
    // 01-24: a's last active day; b is in [01-16, 01-26). 01-25: a churned, b only.
    r.check("2024-01-24", {{"customers_active_end", 2}, {"customers_churned", 0}});
    r.check("2024-01-25", {{"customers_active_end", 1}, {"customers_churned", 1}});
    r.check("2024-01-26", {{"customers_churned", 1}});  // b's second spell
  }
}

TEST_CASE("flow: default W = 90, churn on as_of counts, churn on as_of + 1 does not", "[flow]") {
  // c: orders 01-01 and 03-31 (gap 90, 2024 is leap): one spell [01-01, 06-29).
  // d: orders 01-01 and 04-01 (gap 91): spells [01-01, 03-31) and [04-01, 06-30).
  // as_of 06-29: c's churn day is as_of (a churn in June); d's is as_of + 1 (not one).
  DatasetBuilder b("2024-06-29");
  b.customer("c").customer("d");
  b.order_line("c1", "c", "2024-01-01", 1).order_line("c2", "c", "2024-03-31", 1);
  b.order_line("d1", "d", "2024-01-01", 1).order_line("d2", "d", "2024-04-01", 1);
  FlowRun r(b.build(), Settings{});
  REQUIRE(r.fx.grid.size() == 6);
  r.check("2024-01-01", {{"customers_new", 2}, {"customers_active_end", 2}});
  r.check("2024-02-01", {{"retention_rate", 1}});
  // March: d churns on 03-31 (the last day of March, t1): A0 = {c, d}, A1 = {c}.
  r.check("2024-03-01", {{"customers_churned", 1}, {"customers_active_end", 1}, {"retention_rate", 0.5},
                         {"churn_rate", 0.5}});
  // April: d reactivates.
  r.check("2024-04-01", {{"customers_reactivated", 1}, {"customers_new", 0}, {"customers_active_start", 1},
                         {"customers_active_end", 2}, {"retention_rate", 1}});
  // June (partial, t1 = as_of = 06-29): c churned on 06-29; d still active (ends 06-30);
  // active_ratio 1 active / 2 ever started.
  r.check("2024-06-01", {{"customers_active_start", 2}, {"customers_churned", 1}, {"customers_active_end", 1},
                         {"retention_rate", 0.5}, {"active_ratio", 0.5}});
}

TEST_CASE("flow: period edges — order on a month's last day, churn on a month's first day", "[flow]") {
  // W = 10. e: order 01-31 -> spell [01-31, 02-10). f: order 02-20 -> spell [02-20, 03-01):
  // f is active on 02-29 (t1 of February) and churns on 03-01, in March. as_of 03-15.
  DatasetBuilder b("2024-03-15");
  b.customer("e").customer("f");
  b.order_line("e1", "e", "2024-01-31", 1).order_line("f1", "f", "2024-02-20", 1);
  FlowRun r(b.build(), settings_with(10));
  REQUIRE(r.fx.grid.size() == 3);
  // January: churn_to_new 0 churned / 1 new.
  r.check("2024-01-01", {{"customers_new", 1}, {"customers_active_end", 1}, {"churn_to_new_ratio", 0},
                         {"active_ratio", 1}});
  // February: A0 = {e} (01-31); e churns 02-10; f new; A1 = {f}.
  r.check("2024-02-01", {{"customers_active_start", 1}, {"customers_active_end", 1}, {"customers_churned", 1},
                         {"customers_new", 1}, {"retention_rate", 0}, {"churn_rate", 1}, {"churn_to_new_ratio", 1},
                         {"active_ratio", 0.5}});
  // March (partial, t1 = 03-15): A0 = {f}; f churns on 03-01.
  r.check("2024-03-01", {{"customers_active_start", 1}, {"customers_churned", 1}, {"customers_active_end", 0},
                         {"retention_rate", 0}, {"active_ratio", 0}});
}

TEST_CASE("flow: segments, unassigned and an implied unknown customer", "[flow]") {
  // W = 10, as_of 02-29. a1 (smb): 01-10 -> [01-10, 01-20). a2 (ent): 01-10 and 02-25 ->
  // [01-10, 01-20), [02-25, 03-06). a3 (no segment): 02-05 -> [02-05, 02-15).
  // ghost (not in customers, implied, unassigned): 01-28 -> [01-28, 02-07).
  DatasetBuilder b("2024-02-29");
  b.customer("a1", "smb").customer("a2", "ent").customer("a3");
  b.order_line("o1", "a1", "2024-01-10", 1).order_line("o2", "a2", "2024-01-10", 1);
  b.order_line("o3", "a2", "2024-02-25", 1).order_line("o4", "a3", "2024-02-05", 1);
  b.order_line("o5", "ghost", "2024-01-28", 1);
  FlowRun r(b.build(), settings_with(10));
  REQUIRE(r.out.slots() == 4);  // all, smb, ent, unassigned
  // January: new a1, a2, ghost; churned a1, a2 (01-20); A1 (01-31) = {ghost}.
  r.check("2024-01-01", {{"customers_new", 3}, {"customers_churned", 2}});
  r.check("2024-01-01", {{"customers_new", 1}, {"customers_active_end", 0}}, "smb");
  r.check("2024-01-01", {{"customers_new", 1}}, "ent");
  r.check("2024-01-01", {{"customers_new", 1}, {"customers_churned", 0}, {"customers_active_end", 1}}, "unassigned");
  // February: A0 = {ghost}; a3 new; a2 reactivated; ghost (02-07) and a3 (02-15) churn; A1 = {a2}.
  // all: retention 0 (ghost lost); active_ratio {a2} / {a1, a2, a3, ghost} = 0.25.
  r.check("2024-02-01", {{"customers_active_start", 1}, {"customers_churned", 2}, {"customers_active_end", 1},
                         {"retention_rate", 0}, {"active_ratio", 0.25}});
  // unassigned: active_ratio 0 / {a3, ghost}.
  r.check("2024-02-01", {{"customers_active_start", 1}, {"customers_new", 1}, {"customers_reactivated", 0},
                         {"customers_churned", 2}, {"retention_rate", 0}, {"active_ratio", 0}}, "unassigned");
  // smb and ent: A0 empty in the segment -> retention (and churn) null.
  r.check("2024-02-01", {{"retention_rate", kNull}, {"active_ratio", 0}}, "smb");
  r.check("2024-02-01", {{"customers_reactivated", 1}, {"customers_active_end", 1}, {"retention_rate", kNull},
                         {"churn_rate", kNull}, {"active_ratio", 1}}, "ent");
  // Identity per slot: all 1 = 1 + 1 + 1 - 2; unassigned 0 = 1 + 1 + 0 - 2; ent 1 = 0 + 0 + 1 - 0.
}

TEST_CASE("flow: retention counts a customer who churns and comes back within P as retained", "[flow]") {
  // W = 10, month. g: orders 01-25, 02-10, 02-25 -> spells [01-25, 02-04), [02-10, 02-20), [02-25, 03-06).
  // February: A0 (01-31) = {g}; g is active again on 02-29 (third spell): retained.
  // Two churns (02-04, 02-20) and two reactivations (02-10, 02-25): 1 = 1 + 0 + 2 - 2.
  DatasetBuilder b("2024-03-31");
  b.customer("g");
  b.order_line("o1", "g", "2024-01-25", 1).order_line("o2", "g", "2024-02-10", 1).order_line("o3", "g", "2024-02-25", 1);
  FlowRun r(b.build(), settings_with(10));
  r.check("2024-02-01", {{"customers_churned", 2}, {"customers_reactivated", 2}, {"retention_rate", 1},
                         {"customers_active_end", 1}});
  // March: churn on 03-06 -> retention 0.
  r.check("2024-03-01", {{"retention_rate", 0}});
}

TEST_CASE("flow: subscription activity mode reads the subscription spells", "[flow]") {
  // h: [01-10, 02-15) and [02-15, open): one spell (they touch). i: [01-20, 03-01): churns 03-01.
  Settings s;
  s.activity_mode = ActivityMode::subscriptions;
  DatasetBuilder b("2024-03-10");
  b.customer("h").customer("i");
  b.subscription("h", "2024-01-10", "2024-02-15", 10).subscription("h", "2024-02-15", std::nullopt, 20);
  b.subscription("i", "2024-01-20", "2024-03-01", 10);
  FlowRun r(b.build(), s);
  r.check("2024-01-01", {{"customers_new", 2}});
  r.check("2024-02-01", {{"customers_churned", 0}, {"customers_reactivated", 0}, {"customers_active_end", 2}});
  r.check("2024-03-01", {{"customers_churned", 1}, {"retention_rate", 0.5}});
}

TEST_CASE("flow: activation_rate over customers created in P with a closed window", "[flow]") {
  // activation_days = 30 (default), as_of 03-31.
  // January-created: c1 (01-10, first order 02-09 = +30: activated), c2 (01-10, first order 02-10 = +31: not),
  // c3 (01-20, never orders: not), c7 (ent, 01-05, order 01-06: activated),
  // c8 (01-25, first order 01-02, before creation: <= deadline, activated).
  // February: c5 (02-15, order 02-15: activated). March: c4 (03-05, deadline 04-04 > as_of: not qualified).
  // c6 has no created_on: never counted.
  DatasetBuilder b("2024-03-31");
  b.customer("c1", "smb", "2024-01-10").customer("c2", "smb", "2024-01-10").customer("c3", "smb", "2024-01-20");
  b.customer("c4", "smb", "2024-03-05").customer("c5", "smb", "2024-02-15").customer("c6", "smb");
  b.customer("c7", "ent", "2024-01-05").customer("c8", "smb", "2024-01-25");
  b.order_line("o1", "c1", "2024-02-09", 1).order_line("o2", "c2", "2024-02-10", 1);
  b.order_line("o3", "c5", "2024-02-15", 1).order_line("o4", "c6", "2024-01-02", 1);
  b.order_line("o5", "c7", "2024-01-06", 1).order_line("o6", "c8", "2024-01-02", 1);
  b.order_line("o7", "c1", "2024-03-01", 1);  // a later order does not matter
  FlowRun r(b.build(), Settings{});
  r.check("2024-01-01", {{"activation_rate", 3.0 / 5}});  // c1, c7, c8 of c1, c2, c3, c7, c8
  r.check("2024-01-01", {{"activation_rate", 2.0 / 4}}, "smb");
  r.check("2024-01-01", {{"activation_rate", 1}}, "ent");
  r.check("2024-02-01", {{"activation_rate", 1}});
  r.check("2024-02-01", {{"activation_rate", kNull}}, "ent");
  r.check("2024-03-01", {{"activation_rate", kNull}});
}

TEST_CASE("flow: flow_counts gives |A0 ∩ A1| (the crc denominator) for slot all", "[flow]") {
  // W = 10, as_of 03-10. x: 01-25 -> [01-25, 02-04). y: 01-28 and 02-05 -> one spell [01-28, 02-15).
  // z: 02-25 and 03-03 -> [02-25, 03-13). January: A0 (12-31) empty: 0. February: A0 (01-31) = {x, y},
  // both churn in February: 0. March (partial): A0 (02-29) = {z}, A1 (03-10) = {z}: 1.
  DatasetBuilder b("2024-03-10");
  b.order_line("o1", "x", "2024-01-25", 1).order_line("o2", "y", "2024-01-28", 1).order_line("o3", "y", "2024-02-05", 1);
  b.order_line("o4", "z", "2024-02-25", 1).order_line("o5", "z", "2024-03-03", 1);
  Fixture fx(b.build(), settings_with(10));
  std::optional<FlowCounts> local;
  const FlowCounts &f = flow_counts(fx.context(), local);
  std::vector<std::int64_t> kept;
  for (std::size_t p = 0; p < fx.grid.size(); ++p) kept.push_back(f.retained(p, 0));
  CHECK(kept == std::vector<std::int64_t>{0, 0, 1});
}

// ---------------------------------------------------------------------------
// Brute force: a day-by-day simulation of §3 straight from the order days.

namespace {

// A few hundred customers in three segment slots plus implied ones, orders
// clustered in bursts so gaps around W are frequent. Fixed seed.
Dataset random_dataset(unsigned seed, const std::string &as_of) {
  std::mt19937 rng(seed);
  DatasetBuilder b(as_of);
  const Day first = day("2022-11-15"), last = day(as_of);
  const char *segments[] = {"smb", "ent", nullptr};
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int order_no = 0;
  for (int c = 0; c < 300; ++c) {
    std::string id = "c" + std::to_string(c);
    const char *seg = segments[uniform(0, 2)];
    std::optional<std::string> created;
    if (uniform(0, 2) == 0) created = format_day(first + uniform(0, last - first));
    if (c % 23 != 0) b.customer(id, seg ? std::optional<std::string>(seg) : std::nullopt, created);  // else implied
    int bursts = uniform(0, 4);
    for (int k = 0; k < bursts; ++k) {
      Day d = first + uniform(0, last - first);
      int orders = uniform(1, 4);
      for (int o = 0; o < orders && d <= last; ++o) {
        b.order_line("o" + std::to_string(order_no++), id, format_day(d), 10);
        d += uniform(1, 45);
      }
    }
  }
  return b.build();
}

// Everything §3 says, evaluated per customer and day without spells.
struct Oracle {
  std::size_t periods, slots;
  std::vector<double> a0, a1, fresh, back, churned, kept, ever, qualified, activated;

  Oracle(const Fixture &fx, std::size_t slot_count) : periods(fx.grid.size()), slots(slot_count) {
    for (auto *v : {&a0, &a1, &fresh, &back, &churned, &kept, &ever, &qualified, &activated})
      v->assign(periods * slots, 0.0);
    const Dataset &d = fx.data;
    const int W = fx.settings.inactivity_days;
    const Day lo = fx.grid.t0(0) - 1, hi = fx.data.as_of;
    std::vector<std::vector<Day>> orders(d.customer_count());
    for (std::size_t i = 0; i < d.order_lines.size(); ++i) orders[d.order_lines.customer[i]].push_back(d.order_lines.day[i]);
    for (std::uint32_t c = 0; c < d.customer_count(); ++c) {
      auto active = [&](Day t) {
        for (Day o : orders[c])
          if (o <= t && t < o + W) return true;
        return false;
      };
      std::vector<char> on(static_cast<std::size_t>(hi - lo + 1));
      for (Day t = lo; t <= hi; ++t) on[static_cast<std::size_t>(t - lo)] = active(t);
      auto is_on = [&](Day t) { return on[static_cast<std::size_t>(t - lo)] != 0; };
      Day first_start = kNoDay;
      const std::size_t slot = 1 + d.customers.segment[c];
      for (std::size_t p = 0; p < periods; ++p) {
        const Period &P = fx.grid[p];
        Day t0 = fx.grid.t0(p), t1 = fx.grid.t1(p);
        bool in0 = is_on(t0), in1 = is_on(t1);
        add(a0, p, slot, in0);
        add(a1, p, slot, in1);
        add(kept, p, slot, in0 && in1);
        for (Day t = P.start; t < P.end && t <= hi; ++t) {
          if (is_on(t) && !is_on(t - 1)) {
            add(first_start == kNoDay ? fresh : back, p, slot, true);
            if (first_start == kNoDay) first_start = t;
          }
          if (!is_on(t) && is_on(t - 1)) add(churned, p, slot, true);
        }
        add(ever, p, slot, first_start != kNoDay && first_start <= t1);
      }
      activation(fx, c, slot, orders[c]);
    }
  }

  void activation(const Fixture &fx, std::uint32_t c, std::size_t slot, const std::vector<Day> &orders) {
    Day created = fx.data.customers.created_on[c];
    if (created == kNoDay) return;
    Day deadline = created + fx.settings.activation_days;
    if (deadline > fx.data.as_of) return;
    for (std::size_t p = 0; p < periods; ++p) {
      if (created < fx.grid[p].start || created >= fx.grid[p].end) continue;
      add(qualified, p, slot, true);
      add(activated, p, slot, !orders.empty() && *std::min_element(orders.begin(), orders.end()) <= deadline);
    }
  }

  void add(std::vector<double> &v, std::size_t p, std::size_t slot, bool yes) {
    if (!yes) return;
    v[p * slots] += 1;
    v[p * slots + slot] += 1;
  }
  double at(const std::vector<double> &v, std::size_t p, std::size_t s) const { return v[p * slots + s]; }
};

void check_against_oracle(const Fixture &fx) {
  KpiResults out(fx.grid, fx.slot_names());
  compute_flow(fx.context(), out);
  Oracle o(fx, out.slots());
  auto get = [&](const char *name, std::size_t p, std::size_t s) { return out.get(*out.find(name), p, s); };
  auto same = [](double got, double want) { return is_null(want) ? is_null(got) : (!is_null(got) && got == Approx(want)); };
  std::size_t mismatches = 0;
  for (std::size_t p = 0; p < fx.grid.size(); ++p)
    for (std::size_t s = 0; s < out.slots(); ++s) {
      double a0 = o.at(o.a0, p, s), a1 = o.at(o.a1, p, s), nw = o.at(o.fresh, p, s), re = o.at(o.back, p, s);
      double ch = o.at(o.churned, p, s), kept = o.at(o.kept, p, s);
      double want_ret = a0 == 0 ? kNull : kept / a0;
      bool ok = get("customers_active_start", p, s) == a0 && get("customers_active_end", p, s) == a1 &&
                get("customers_new", p, s) == nw && get("customers_reactivated", p, s) == re &&
                get("customers_churned", p, s) == ch && same(get("retention_rate", p, s), want_ret) &&
                same(get("churn_rate", p, s), is_null(want_ret) ? kNull : 1 - want_ret) &&
                same(get("churn_to_new_ratio", p, s), nw == 0 ? kNull : ch / nw) &&
                same(get("active_ratio", p, s), o.at(o.ever, p, s) == 0 ? kNull : a1 / o.at(o.ever, p, s)) &&
                same(get("activation_rate", p, s),
                     o.at(o.qualified, p, s) == 0 ? kNull : o.at(o.activated, p, s) / o.at(o.qualified, p, s));
      // The identity of §3, on the module's own numbers.
      ok = ok && get("customers_active_end", p, s) == get("customers_active_start", p, s) + get("customers_new", p, s) +
                                                          get("customers_reactivated", p, s) -
                                                          get("customers_churned", p, s);
      if (!ok && ++mismatches <= 5)
        FAIL_CHECK("period " << format_day(fx.grid[p].start) << " slot " << out.slot_names()[s] << ": a0 " << a0
                             << " a1 " << a1 << " new " << nw << " re " << re << " churned " << ch << " kept "
                             << kept);
    }
  CHECK(mismatches == 0);
}

}  // namespace

TEST_CASE("flow: matches a day-by-day brute force on random data at every granularity", "[flow][random]") {
  const Granularity gs[] = {Granularity::day, Granularity::week, Granularity::month, Granularity::quarter,
                            Granularity::year};
  for (int window : {30, 90})
    for (Granularity g : gs) {
      INFO("granularity " << granularity_name(g) << ", W " << window);
      Fixture fx(random_dataset(20240520u, "2024-05-20"), settings_with(window, g));
      REQUIRE(fx.grid.size() > 1);
      check_against_oracle(fx);
    }
}

TEST_CASE("flow: a narrowed period grid gives the same values as the full one", "[flow][random]") {
  // A request may narrow the range: spells that began before the first
  // reported period must still count in A0 and in the identity.
  Fixture fx(random_dataset(7u, "2024-05-20"), settings_with(30));
  PeriodGrid narrow(Granularity::month, day("2023-09-01"), fx.data.as_of);
  KpiResults full(fx.grid, fx.slot_names()), part(narrow, fx.slot_names());
  compute_flow(fx.context(), full);
  compute_flow(KpiContext{fx.data, fx.settings, narrow, fx.activity}, part);
  const std::size_t offset = static_cast<std::size_t>(fx.grid.index_of(day("2023-09-01")));
  for (const KpiMatrix &m : part.kpis())
    for (std::size_t p = 0; p < narrow.size(); ++p)
      for (std::size_t s = 0; s < part.slots(); ++s) {
        double want = full.get(*full.find(m.name), p + offset, s), got = part.get(m, p, s);
        INFO(m.name << " period " << p << " slot " << s);
        CHECK((is_null(want) ? is_null(got) : got == want));
      }
}

TEST_CASE("flow: subscription mode without a subscriptions source is unavailable (null), not 0", "[flow]") {
  auto data = DatasetBuilder("2024-02-29").customer("A", "s").order_line("o1", "A", "2024-01-10", 10).build();
  Settings s = settings_with(90);
  s.activity_mode = ActivityMode::subscriptions;
  FlowRun r(std::move(data), s);
  for (const char *kpi : {"customers_active_start", "customers_active_end", "customers_new", "customers_churned",
                          "retention_rate", "active_ratio"})
    CHECK(std::isnan(r(kpi, "2024-02-01")));
}
