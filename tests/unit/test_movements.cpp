// Table customer_movements (docs/kpis.md §4.6): the running example's March by
// hand, then the identity with the kpis table — counts of flow events and sums
// of movement amounts equal customers_new ... churned_revenue exactly, for
// every period and slot, in both activity and both revenue modes, on
// pseudo-random data with cent amounts (so "exactly" means bit for bit).
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/kpi_results.hpp"
#include "kpi/flow.hpp"
#include "kpi/movements.hpp"
#include "kpi/revenue.hpp"
#include "support/dataset_builder.hpp"
#include "support/kpi_readers.hpp"

using namespace cskpi;
using cskpi::test::DatasetBuilder;
using cskpi::test::Fixture;
using cskpi::test::day;

namespace {

// The running example of docs/kpis.md (orders, invoices), as_of 2024-03-31.
Dataset running_example() {
  DatasetBuilder b("2024-03-31");
  b.customer("A", "smb", "2023-11-01").customer("B", "smb", "2023-09-15").customer("C", "enterprise", "2024-02-01");
  b.customer("D").customer("E").customer("F", "enterprise", "2024-02-20");
  b.order_line("o1", "A", "2023-11-20", 100).order_line("o2", "A", "2024-02-15", 100);
  b.order_line("o3", "A", "2024-03-10", 110).order_line("o4", "B", "2023-10-05", 80);
  b.order_line("o5", "B", "2024-03-05", 60).order_line("o6", "C", "2024-02-10", 200);
  b.order_line("o7", "C", "2024-03-20", 210).order_line("o8", "D", "2023-12-15", 50);
  b.order_line("o9", "E", "2024-03-25", 40);
  b.invoice("A", "2023-11-20", 100).invoice("A", "2024-02-15", 100).invoice("A", "2024-03-10", 110);
  b.invoice("B", "2023-10-05", 80).invoice("B", "2024-03-05", 60);
  b.invoice("C", "2024-02-10", 200).invoice("C", "2024-03-20", 210).credit_note("C", "2024-03-25", -60);
  b.invoice("D", "2023-12-15", 50).invoice("D", "2024-02-05", 45).invoice("E", "2024-03-25", 40);
  return b.build();
}

std::string text(const Column &c, std::size_t r) { return c.null[r] ? "-" : c.text[r]; }
std::string real(const Column &c, std::size_t r) { return c.null[r] ? "-" : std::to_string(c.reals[r]); }

// One row as "customer flow day movement v0 v1 amount".
std::string row_text(const Table &t, std::size_t r) {
  using cskpi::test::column;
  return text(column(t, "customer_id"), r) + " " + text(column(t, "flow_event"), r) + " " +
         text(column(t, "event_day"), r) + " " + text(column(t, "revenue_movement"), r) + " " +
         real(column(t, "v0"), r) + " " + real(column(t, "v1"), r) + " " + real(column(t, "amount"), r);
}

}  // namespace

TEST_CASE("customer_movements: the running example's March (orders mode W = 90, invoice mode)", "[movements]") {
  Settings s;
  s.inactivity_days = 90;
  Fixture fx(running_example(), s);
  Table t = customer_movements_table(fx.context());
  std::vector<std::string> march;
  const Column &start = cskpi::test::column(t, "period_start");
  for (std::size_t r = 0; r < t.row_count(); ++r)
    if (start.text[r] == "2024-03-01") march.push_back(row_text(t, r));
  // §3.3 (B reactivated, D churned, E new) and §4.3 (A +10, B 60, C -50, D -45, E 40).
  CHECK(march == std::vector<std::string>{
                     "A - - expansion 100.000000 110.000000 10.000000",
                     "B reactivated 2024-03-05 reactivation 0.000000 60.000000 60.000000",
                     "C - - contraction 200.000000 150.000000 50.000000",
                     "D churned 2024-03-14 churned 45.000000 0.000000 45.000000",
                     "E new 2024-03-25 new 0.000000 40.000000 40.000000",
                 });
  // January: B's first spell ends on 2024-01-03; D paid nothing in January
  // after December (churned revenue 50) and A nothing after November.
  std::vector<std::string> january;
  for (std::size_t r = 0; r < t.row_count(); ++r)
    if (start.text[r] == "2024-01-01") january.push_back(row_text(t, r));
  CHECK(january == std::vector<std::string>{
                       "B churned 2024-01-03 - - - -",
                       "D - - churned 50.000000 0.000000 50.000000",
                   });
}

TEST_CASE("customer_movements: an absent source gives no rows of its kind", "[movements]") {
  DatasetBuilder b("2024-03-31");
  b.customer("A").order_line("o1", "A", "2024-01-10", 10).order_line("o2", "A", "2024-03-10", 10);
  Settings s;
  s.inactivity_days = 30;
  Fixture fx(b.build(), s);  // no invoices source: revenue movements unavailable
  Table t = customer_movements_table(fx.context());
  const Column &movement = cskpi::test::column(t, "revenue_movement");
  REQUIRE(t.row_count() == 3);  // new in January, churned 02-09, reactivated in March
  for (std::size_t r = 0; r < t.row_count(); ++r) CHECK(movement.null[r]);
  s.activity_mode = ActivityMode::subscriptions;  // no subscriptions source either
  Fixture none(b.build(), s);
  CHECK(customer_movements_table(none.context()).row_count() == 0);
}

namespace {

// Cent amounts, credit notes, contracts that end, restart and overlap.
Dataset random_dataset(unsigned seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto cents = [&](int hi) { return uniform(1, hi * 100) / 100.0; };
  DatasetBuilder b("2024-05-20");
  const Day first = day("2022-11-15"), last = day("2024-05-20");
  const char *segments[] = {"smb", "ent", nullptr};
  b.with_invoices().with_subscriptions();
  for (int c = 0; c < 300; ++c) {
    const std::string id = "c" + std::to_string(c);
    const char *seg = segments[uniform(0, 2)];
    if (c % 13 != 0) b.customer(id, seg ? std::optional<std::string>(seg) : std::nullopt);  // else implied
    auto some_day = [&] { return format_day(first + uniform(0, last - first)); };
    for (int k = uniform(0, 10); k > 0; --k) {
      const std::string d = some_day();
      b.order_line("o" + std::to_string(c) + "_" + std::to_string(k), id, d, cents(300));
      if (uniform(0, 5) == 0) b.credit_note(id, some_day(), -cents(200));
      else b.invoice(id, d, cents(300));
    }
    for (int k = uniform(0, 3); k > 0; --k) {
      const Day s = first + uniform(0, last - first);
      std::optional<std::string> e;
      if (uniform(0, 2) != 0) e = format_day(s + uniform(1, 300));
      b.subscription(id, format_day(s), e, cents(150));
    }
  }
  return b.build();
}

// What the table says per (period, slot) for one kpi, summed in row order.
using Sums = std::map<std::pair<std::string, std::size_t>, double>;

void add(Sums &sums, const std::string &key, std::size_t p, std::size_t slot, double x) {
  // Slot 0 ("all") and the segment's slot, as PeriodSlots adds.
  sums[{key + "@0", p}] += x;
  sums[{key + "@" + std::to_string(slot), p}] += x;
}

Sums table_sums(const Fixture &fx, const Table &t) {
  using cskpi::test::column;
  const Column &start = column(t, "period_start"), &seg = column(t, "segment"), &flow = column(t, "flow_event"),
               &kind = column(t, "revenue_movement"), &amount = column(t, "amount");
  const std::map<std::string, std::string> flow_kpi{
      {"new", "customers_new"}, {"reactivated", "customers_reactivated"}, {"churned", "customers_churned"}};
  const std::map<std::string, std::string> revenue_kpi{{"new", "new_revenue"},
                                                       {"reactivation", "reactivation_revenue"},
                                                       {"expansion", "expansion_revenue"},
                                                       {"contraction", "contraction_revenue"},
                                                       {"churned", "churned_revenue"}};
  const auto names = fx.slot_names();
  Sums sums;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const int p = fx.grid.index_of(day(start.text[r]));
    REQUIRE(p >= 0);
    const std::size_t slot = static_cast<std::size_t>(std::find(names.begin(), names.end(), seg.text[r]) - names.begin());
    REQUIRE(slot < names.size());
    if (!flow.null[r]) add(sums, flow_kpi.at(flow.text[r]), p, slot, 1.0);
    if (!kind.null[r]) add(sums, revenue_kpi.at(kind.text[r]), p, slot, amount.reals[r]);
  }
  return sums;
}

}  // namespace

TEST_CASE("customer_movements: summed over customers it is the kpis table, in every mode", "[movements][random]") {
  const Dataset data = random_dataset(2026u);
  const char *kpis[] = {"customers_new",       "customers_reactivated", "customers_churned",
                        "new_revenue",         "reactivation_revenue",  "expansion_revenue",
                        "contraction_revenue", "churned_revenue"};
  for (auto activity : {ActivityMode::orders, ActivityMode::subscriptions})
    for (auto revenue : {RevenueMode::invoices, RevenueMode::subscriptions})
      for (auto g : {Granularity::week, Granularity::month, Granularity::quarter}) {
        Settings s;
        s.activity_mode = activity;
        s.revenue_mode = revenue;
        s.granularity = g;
        s.inactivity_days = 60;
        Fixture fx(Dataset(data), s);
        KpiResults out(fx.grid, fx.slot_names());
        compute_flow(fx.context(), out);
        compute_revenue(fx.context(), out);
        const Table t = customer_movements_table(fx.context());
        const Sums sums = table_sums(fx, t);
        std::size_t nonzero = 0;
        for (const char *kpi : kpis)
          for (std::size_t p = 0; p < fx.grid.size(); ++p)
            for (std::size_t slot = 0; slot < out.slots(); ++slot) {
              INFO(kpi << " period " << p << " slot " << slot << " activity " << int(activity) << " revenue "
                        << int(revenue) << " granularity " << granularity_name(g));
              const auto it = sums.find({std::string(kpi) + "@" + std::to_string(slot), p});
              const double from_rows = it == sums.end() ? 0.0 : it->second;
              const double v = cskpi::test::value(out, kpi, p, slot);
              CHECK(v == from_rows);  // exact: the same amounts added in the same order
              nonzero += v != 0;
            }
        CHECK(nonzero > 100);  // the data moves: the identity is not 0 == 0
      }
}
