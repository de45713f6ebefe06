// docs/kpis.md §5 (purchase behaviour, cross-sell, up-sell) on hand-made datasets.
// Every expectation is worked out by hand in the comment next to it.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/kpi_results.hpp"
#include "core/stats.hpp"
#include "kpi/purchase.hpp"
#include "support/dataset_builder.hpp"
#include "support/kpi_readers.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

KpiResults run(const Fixture &fx) { return run_family(compute_purchase, fx); }

Settings monthly() {
  Settings s;
  s.granularity = Granularity::month;
  return s;
}

}  // namespace

TEST_CASE("percentile interpolates between closest ranks", "[stats]") {
  std::vector<double> v{40, 10, 30, 20};
  // sorted 10 20 30 40; p50: h = 3 x 0.5 = 1.5 -> 20 + 0.5 x (30 - 20) = 25
  CHECK(percentile(v, 0.5) == Approx(25));
  CHECK(v == std::vector<double>{10, 20, 30, 40});  // sorted in place
  // p90: h = 2.7 -> 30 + 0.7 x 10 = 37
  CHECK(percentile(v, 0.9) == Approx(37));
  CHECK(percentile(v, 0.0) == 10);
  CHECK(percentile(v, 1.0) == 40);
  std::vector<double> one{7};
  CHECK(percentile(one, 0.9) == 7);
  std::vector<double> none;
  CHECK(std::isnan(percentile(none, 0.5)));
}

TEST_CASE("orders are built from their lines: earliest day, summed amount", "[purchase]") {
  // Segments in order of first use: smb (slot 1), ent (slot 2), unassigned (slot 3).
  auto data = DatasetBuilder("2024-03-31")
                  .customer("A", "smb")
                  .customer("B", "ent")
                  .customer("C")
                  .order_line("A1", "A", "2024-01-10", 100)
                  // A2: lines on Feb 3, Feb 1 and Feb 5 (a return): day Feb 1, amount 80 + 40 - 20 = 100
                  .order_line("A2", "A", "2024-02-03", 80)
                  .order_line("A2", "A", "2024-02-01", 40)
                  .order_line("A2", "A", "2024-02-05", -20)
                  .order_line("A3", "A", "2024-02-20", 50)
                  // B1 straddles a month, its later line listed first: day Jan 31, so all
                  // of its 100 is January's
                  .order_line("B1", "B", "2024-02-02", 70)
                  .order_line("B1", "B", "2024-01-31", 30)
                  .order_line("B2", "B", "2024-03-05", 60)
                  // C: two orders on one day
                  .order_line("C1", "C", "2024-02-10", 200)
                  .order_line("C2", "C", "2024-02-10", 100)
                  .build();
  Fixture fx(std::move(data), monthly());
  REQUIRE(fx.grid.size() == 3);  // Jan, Feb, Mar
  const auto r = run(fx);

  SECTION("slot all") {
    // gaps: A Feb 1 - Jan 10 = 22, Feb 20 - Feb 1 = 19 (Feb); B Mar 5 - Jan 31 = 34 (Mar);
    //       C's two orders share its first day: none
    // Jan: A1 (100), B1 (100): 2 orders, 2 buyers, aov 200 / 2 = 100, frequency 1, nobody returning
    check_cell(r, 0, 0, {{"orders", 2}, {"buyers", 2}, {"aov", 100.0}, {"purchase_frequency", 1.0},
                         {"repeat_purchase_rate", 0}, {"interpurchase_days_mean", kNull}});
    // Feb: A2 (100), A3 (50), C1 (200), C2 (100): 4 orders, sum 450, aov 112.5;
    // buyers A and C (B1's Feb 2 line does not make B a February buyer): 2, frequency 2;
    // returning: A (first order Jan 10) -> 1 / 2
    check_cell(r, 1, 0, {{"orders", 4}, {"buyers", 2}, {"aov", 112.5}, {"purchase_frequency", 2.0},
                         {"repeat_purchase_rate", 0.5}, {"interpurchase_days_mean", 20.5}});
    // Mar: B2 (60): 1 order, 1 buyer, returning (B's first order Jan 31) -> 1
    check_cell(r, 2, 0, {{"orders", 1}, {"aov", 60.0}, {"repeat_purchase_rate", 1.0}, {"interpurchase_days_mean", 34.0}});
  }
  SECTION("segments") {
    // Feb smb (A): 2 orders, aov (100 + 50) / 2 = 75, frequency 2, repeat 1 / 1
    check_cell(r, 1, 1, {{"orders", 2}, {"aov", 75.0}, {"purchase_frequency", 2.0}, {"repeat_purchase_rate", 1.0}});
    // Feb unassigned (C): 2 orders, aov 150, new buyer -> repeat 0 / 1
    check_cell(r, 1, 3, {{"orders", 2}, {"aov", 150.0}, {"repeat_purchase_rate", 0}});
    // Feb ent (B): no order: counts 0, ratios null
    check_cell(r, 1, 2, {{"orders", 0}, {"buyers", 0}, {"aov", kNull}, {"purchase_frequency", kNull},
                         {"repeat_purchase_rate", kNull}});
  }
}

TEST_CASE("an order whose lines disagree on the customer belongs to its first line's", "[purchase]") {
  auto data = DatasetBuilder("2024-01-31")
                  .customer("A", "x")
                  .customer("B", "y")
                  .order_line("O", "A", "2024-01-05", 10)
                  .order_line("O", "B", "2024-01-04", 30)
                  .build();
  Fixture fx(std::move(data), monthly());
  const auto r = run(fx);
  // One order of A worth 40 (dated Jan 4, the earliest line); B bought nothing.
  check_cell(r, 0, 0, {{"orders", 1}, {"buyers", 1}});
  check_cell(r, 0, 1, {{"aov", 40.0}});
  check_cell(r, 0, 2, {{"buyers", 0}});
}

TEST_CASE("inter-purchase gaps run between distinct order days", "[purchase]") {
  auto data = DatasetBuilder("2024-02-29")
                  .customer("D", "x")
                  .customer("E", "y")
                  .customer("F", "y")
                  // D: days Jan 1, Jan 5 (two orders: one distinct day), Jan 17, Feb 1
                  //    gaps: Jan 4, 12; Feb 15 (Feb 1 - Jan 17). The first day has no gap.
                  .orders("D", {{"d1", "2024-01-01", 10}, {"d2", "2024-01-05", 10}, {"d3", "2024-01-05", 10},
                                {"d4", "2024-01-17", 10}, {"d5", "2024-02-01", 10}})
                  // E: days Jan 2, 3, 10, 30: gaps 1, 7, 20 (all January)
                  .orders("E", {{"e1", "2024-01-02", 10}, {"e2", "2024-01-03", 10}, {"e3", "2024-01-10", 10},
                                {"e4", "2024-01-30", 10}})
                  // F: a single order: no gap at all
                  .order_line("f1", "F", "2024-02-10", 10)
                  .build();
  Fixture fx(std::move(data), monthly());
  const auto r = run(fx);
  // (period, slot, mean, median) of the gaps
  const struct {
    std::size_t period, slot;
    double mean, median;
  } cases[] = {
      {0, 0, 8.8, 7},        // Jan, all: {1, 4, 7, 12, 20}: mean 44 / 5 = 8.8; median: h = 4 x 0.5 = 2 -> 7
      {0, 1, 8, 8},          // Jan, x (D): {4, 12}: mean 8, median 4 + 0.5 x 8 = 8
      {0, 2, 28.0 / 3, 7},   // Jan, y (E): {1, 7, 20}: mean 28 / 3, median 7
      {1, 0, 15, 15},        // Feb, all: D's 15 only (F has no earlier day)
      {1, 2, kNull, kNull},  // Feb, y: F bought but has no gap -> null
  };
  for (const auto &c : cases)
    check_cell(r, c.period, c.slot, {{"interpurchase_days_mean", c.mean}, {"interpurchase_days_median", c.median}});
}

TEST_CASE("cross-sell: a category first bought in P by a returning buyer", "[purchase]") {
  auto data = DatasetBuilder("2024-03-31")
                  .customer("R", "a")
                  .customer("N", "b")
                  .customer("U", "a")
                  // R: Jan shoes; Feb shoes (old), hats 30 and a hats return -10 (new),
                  //    a null category 20 (new: R never bought "unknown"); Mar hats (old now), bags 25 (new)
                  .order_line("r1", "R", "2024-01-15", 100, "shoes")
                  .order_line("r2", "R", "2024-02-10", 50, "shoes")
                  .order_line("r2", "R", "2024-02-10", 30, "hats")
                  .order_line("r2", "R", "2024-02-10", -10, "hats")
                  .order_line("r2", "R", "2024-02-10", 20)
                  .order_line("r3", "R", "2024-03-05", 40, "hats")
                  .order_line("r3", "R", "2024-03-05", 25, "bags")
                  // N: new buyer in Feb (its categories are not cross-sell); Mar: only known categories
                  .orders("N", {{"n1", "2024-02-12", 70, "shoes"}, {"n1", "2024-02-12", 10, "belts"},
                                {"n2", "2024-03-12", 5, "belts"}, {"n3", "2024-03-20", 10, "shoes"}})
                  // U: null category in Jan and again in Feb: "unknown" is not new the second time
                  .order_line("u1", "U", "2024-01-20", 10)
                  .order_line("u2", "U", "2024-02-20", 15)
                  .build();
  Fixture fx(std::move(data), monthly());
  const auto r = run(fx);
  // Jan: nobody returning -> rate null, revenue 0
  check_cell(r, 0, 0, {{"cross_sell_rate", kNull}, {"cross_sell_revenue", 0}});
  // Feb: R(P) = {R, U}; R cross-sold -> 1 / 2; revenue hats 30 - 10 + unknown 20 = 40
  check_cell(r, 1, 0, {{"cross_sell_rate", 0.5}, {"cross_sell_revenue", 40.0}});
  // Mar: R(P) = {R, N}; R (bags) cross-sold, N not -> 1 / 2; revenue bags 25 (hats' 40 is not new)
  check_cell(r, 2, 0, {{"cross_sell_rate", 0.5}, {"cross_sell_revenue", 25.0}});
  // Segment a (R, U): Feb 1 / 2, 40; Mar 1 / 1, 25
  check_cell(r, 1, 1, {{"cross_sell_rate", 0.5}, {"cross_sell_revenue", 40.0}});
  check_cell(r, 2, 1, {{"cross_sell_rate", 1.0}, {"cross_sell_revenue", 25.0}});
  // Segment b (N): Feb N is new -> R(P) empty -> null, revenue 0; Mar 0 / 1
  check_cell(r, 1, 2, {{"cross_sell_rate", kNull}, {"cross_sell_revenue", 0}});
  check_cell(r, 2, 2, {{"cross_sell_rate", 0}, {"cross_sell_revenue", 0}});
}

TEST_CASE("up-sell: aov in P at least (1 + threshold) x aov in P'", "[purchase]") {
  auto data = DatasetBuilder("2024-03-31")
                  .customer("X", "s")
                  .customer("Y", "s")
                  .customer("Z", "s")
                  .customer("W", "s")
                  // X: Jan aov (80 + 120) / 2 = 100; Feb 110 = 1.1 x 100 exactly; Mar 121 = 1.1 x 110 exactly
                  .orders("X", {{"x1", "2024-01-05", 80}, {"x2", "2024-01-20", 120}, {"x3", "2024-02-05", 110},
                                {"x4", "2024-03-05", 121}})
                  // Y: Jan 100; Feb 109.99 (just missed); Mar 50
                  .orders("Y", {{"y1", "2024-01-06", 100}, {"y2", "2024-02-06", 109.99}, {"y3", "2024-03-06", 50}})
                  // Z: Jan and Mar, no Feb: in no base
                  .orders("Z", {{"z1", "2024-01-07", 10}, {"z2", "2024-03-07", 100}})
                  // W: new in Feb (no base in Feb); Mar 40 < 55
                  .orders("W", {{"w1", "2024-02-08", 50}, {"w2", "2024-03-08", 40}})
                  .build();

  SECTION("default threshold 0.10") {
    Fixture fx(std::move(data), monthly());
    const auto r = run(fx);
    // Jan: no P' orders -> null
    check_cell(r, 0, 0, {{"up_sell_rate", kNull}});
    // Feb: base {X, Y}; X met (110 >= 110), Y missed (109.99 < 110) -> 1 / 2
    check_cell(r, 1, 0, {{"up_sell_rate", 0.5}});
    // Mar: base {X, Y, W}; X met (121 >= 121), Y 50, W 40 -> 1 / 3
    check_cell(r, 2, 0, {{"up_sell_rate", 1.0 / 3}});
    check_cell(r, 2, 1, {{"up_sell_rate", 1.0 / 3}});
  }
  SECTION("threshold from the settings") {
    Settings s = monthly();
    s.upsell_threshold = 0.2;
    Fixture fx(std::move(data), s);
    const auto r = run(fx);
    // Feb: X 110 < 1.2 x 100 = 120, Y missed -> 0 / 2
    CHECK(value(r, "up_sell_rate", 1, 0) == 0);
  }
}

TEST_CASE("week granularity: ISO weeks, Monday first", "[purchase]") {
  // 2024-01-01 is a Monday: weeks [Jan 1, 7], [Jan 8, 14], [Jan 15, 21].
  auto data = DatasetBuilder("2024-01-21")
                  .customer("A", "s")
                  .customer("B", "s")
                  .order_line("a1", "A", "2024-01-07", 10)  // Sunday: week 0
                  .order_line("a2", "A", "2024-01-08", 30)  // Monday: week 1, gap 1
                  .order_line("b1", "B", "2024-01-09", 20)
                  .order_line("b2", "B", "2024-01-14", 40)  // Sunday: week 1, gap 5
                  .order_line("b3", "B", "2024-01-15", 60)  // Monday: week 2, gap 1
                  .build();
  Settings s;
  s.granularity = Granularity::week;
  Fixture fx(std::move(data), s);
  REQUIRE(fx.grid.size() == 3);
  const auto r = run(fx);
  // up-sell week 1: base A (10 -> 30) -> 1 / 1; week 2: base B (30 -> 60) -> 1 / 1
  // week 0: A's 10
  check_cell(r, 0, 0, {{"orders", 1}, {"aov", 10.0}});
  // week 1: 30 + 20 + 40 = 90 over 3 orders -> aov 30; buyers A, B -> frequency 1.5;
  // returning A only -> 0.5; gaps {1, 5} -> mean 3, median 3
  check_cell(r, 1, 0, {{"orders", 3}, {"aov", 30.0}, {"purchase_frequency", 1.5}, {"repeat_purchase_rate", 0.5},
                       {"interpurchase_days_mean", 3.0}, {"interpurchase_days_median", 3.0}, {"up_sell_rate", 1.0}});
  // week 2: B's 60, returning, gap 1
  check_cell(r, 2, 0, {{"up_sell_rate", 1.0}, {"repeat_purchase_rate", 1.0}, {"interpurchase_days_median", 1.0}});
}

TEST_CASE("a grid starting after the data still sees the history before it", "[purchase]") {
  auto data = DatasetBuilder("2024-03-31")
                  .customer("A", "s")
                  .customer("B", "s")
                  // A: Dec (before the grid) 100 in "shoes"; Jan 100; Feb 120 in "shoes" and new "hats" 30
                  .orders("A", {{"a0", "2023-12-20", 100, "shoes"}, {"a1", "2024-01-10", 100, "shoes"},
                                {"a2", "2024-02-10", 120, "shoes"}, {"a2", "2024-02-10", 30, "hats"}})
                  // B: Nov (two periods before the grid) 10; Feb 50
                  .orders("B", {{"b0", "2023-11-15", 10, "shoes"}, {"b1", "2024-02-15", 50, "shoes"}})
                  .build();
  Fixture fx(std::move(data), monthly());
  fx.grid = PeriodGrid(Granularity::month, test::day("2024-01-01"), fx.data.as_of);  // Jan, Feb, Mar
  REQUIRE(fx.grid.size() == 3);
  const auto r = run(fx);
  // Jan: A returning (Dec order), gap Jan 10 - Dec 20 = 21; up-sell base A (Dec 100 -> Jan 100): 0 / 1;
  //      shoes not new -> cross-sell 0 / 1
  check_cell(r, 0, 0, {{"repeat_purchase_rate", 1.0}, {"interpurchase_days_median", 21.0}, {"up_sell_rate", 0},
                       {"cross_sell_rate", 0}});
  // Feb: A and B returning; B's gap Feb 15 - Nov 15 = 92, A's 31 -> mean 61.5;
  //      hats new for A -> cross-sell 1 / 2, revenue 30; B's shoes (first Nov) not new
  check_cell(r, 1, 0, {{"repeat_purchase_rate", 1.0}, {"interpurchase_days_mean", 61.5}, {"cross_sell_rate", 0.5},
                       {"cross_sell_revenue", 30.0}});
}

TEST_CASE("up-sell: a customer whose aov in P' is not positive is not in the base", "[purchase]") {
  auto data = DatasetBuilder("2024-02-29")
                  .customer("R", "s")
                  .customer("X", "s")
                  // R: Jan net returns (-50: aov -50); Feb 10. Literally 10 >= 1.1 x -50,
                  // but growth over a negative base means nothing: R is left out.
                  .orders("R", {{"r1", "2024-01-05", -50}, {"r2", "2024-02-05", 10}})
                  // X: Jan 100, Feb 100 (no up-sell) -> Feb base {X}, 0 up-sold
                  .orders("X", {{"x1", "2024-01-06", 100}, {"x2", "2024-02-06", 100}})
                  .build();
  Fixture fx(std::move(data), monthly());
  const auto r = run(fx);
  CHECK(value(r, "up_sell_rate", 1, 0) == Approx(0.0));
}

TEST_CASE("up-sell: returns that cancel the sales to the cent are a zero aov in P', in any summation order",
          "[purchase]") {
  // In binary floating point 0.1 + 0.2 - 0.3 = +5.6e-17 but
  // -0.1 - 0.2 + 0.3 = -5.6e-17: without the dust rule of revenue
  // (docs/kpis.md §4.5, §5.4) P would enter February's base and Q would not.
  // P: Jan 0.1, 0.2, then a return -0.3 (separate orders, summed by day);
  // Q: Jan the same net zero summed the other way; S: one order of three
  // lines 0.3 - 0.1 - 0.2 (-2.8e-17). Each buys 10 in February.
  // X: Jan 100, Feb 100. February's base is {X} alone, nobody up-sold: 0 / 1
  // (counting P it would be 1 / 2).
  auto data = DatasetBuilder("2024-02-29")
                  .customer("P", "s")
                  .customer("Q", "s")
                  .customer("S", "s")
                  .customer("X", "s")
                  .orders("P", {{"p1", "2024-01-03", 0.1}, {"p2", "2024-01-04", 0.2}, {"p3", "2024-01-05", -0.3},
                                {"p4", "2024-02-05", 10}})
                  .orders("Q", {{"q1", "2024-01-03", -0.1}, {"q2", "2024-01-04", -0.2}, {"q3", "2024-01-05", 0.3},
                                {"q4", "2024-02-05", 10}})
                  .order_line("s1", "S", "2024-01-03", 0.3, "a")
                  .order_line("s1", "S", "2024-01-03", -0.1, "b")
                  .order_line("s1", "S", "2024-01-03", -0.2, "c")
                  .order_line("s2", "S", "2024-02-05", 10)
                  .orders("X", {{"x1", "2024-01-06", 100}, {"x2", "2024-02-06", 100}})
                  .build();
  REQUIRE(0.1 + 0.2 - 0.3 > 0);  // the dust this test is about
  Fixture fx(std::move(data), monthly());
  const auto r = run(fx);
  CHECK(value(r, "up_sell_rate", 1, 0) == 0.0);
  CHECK(value(r, "up_sell_rate", 1, 1) == 0.0);
}
