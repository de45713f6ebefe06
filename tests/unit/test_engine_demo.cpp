// End to end through the engine on generated demo ERPs: the identities of
// docs/kpis.md §3 and §4 for every period, segment and granularity, and the same
// data through SQLite and through PostgreSQL giving identical tables.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "demo_erp.hpp"
#include "engine/engine.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/demo_erp_file.hpp"
#include "support/pg.hpp"

using namespace cskpi;

namespace {

const char *kAsOf = "2025-06-17";  // mid-month: the last period is partial

demo::DemoOptions demo_options() {
  demo::DemoOptions o;
  o.seed = 7;
  o.customers = 300;
  o.first_date = "2023-01-01";
  o.last_date = "2025-06-30";  // data after as_of exists and must be ignored
  return o;
}

Settings demo_settings() {
  return parse_settings(R"({"timezone":"America/Sao_Paulo","sla_hours":{"urgent":8,"default":72},
                           "calendar":{"holiday_sets":["BR"]}})");
}

Dataset load(soci::session &db, const std::string &backend) {
  Settings s = demo_settings();
  return load_dataset(db, backend, load_profile("demo", backend), s, parse_day(kAsOf));
}

// One SQLite demo ERP shared by the tests of this file.
const std::string &sqlite_demo_path() {
  static const test::DemoErpFile file("test_engine_demo", demo_options());
  return file.path();
}

Dataset load_sqlite_demo() {
  soci::session db(soci::sqlite3, "db=" + sqlite_demo_path());
  return load(db, "sqlite3");
}

// Clamped invoice revenue per (customer, period): the v of docs/kpis.md §4,
// computed here independently of the revenue module.
std::map<std::pair<std::uint32_t, int>, double> revenue_by_customer_period(const Dataset &d, const PeriodGrid &g) {
  std::map<std::pair<std::uint32_t, int>, double> rev;
  for (std::size_t i = 0; i < d.invoices.size(); ++i) {
    int p = g.index_of(d.invoices.day[i]);
    if (p >= 0) rev[{d.invoices.customer[i], p}] += d.invoices.amount[i];
  }
  return rev;
}

double v_sum(const std::map<std::pair<std::uint32_t, int>, double> &rev, const Dataset &d, int period,
             std::size_t slot) {
  double sum = 0;
  for (const auto &[key, amount] : rev)
    if (key.second == period && (slot == 0 || 1 + d.customers.segment[key.first] == slot))
      sum += std::max(0.0, amount);
  return sum;
}

}  // namespace

TEST_CASE("customer-flow identity on the demo ERP, every period, segment and granularity") {
  Dataset data = load_sqlite_demo();
  REQUIRE(data.order_lines.size() > 1000);
  Engine engine(demo_settings());
  for (auto g : {Granularity::day, Granularity::week, Granularity::month, Granularity::quarter, Granularity::year}) {
    KpiResults r = engine.compute_kpis(data, g);
    const auto *start = r.find("customers_active_start"), *end = r.find("customers_active_end");
    const auto *nw = r.find("customers_new"), *re = r.find("customers_reactivated"), *ch = r.find("customers_churned");
    REQUIRE((start && end && nw && re && ch));
    std::size_t checked = 0;
    for (std::size_t p = 0; p < r.grid().size(); ++p)
      for (std::size_t s = 0; s < r.slots(); ++s) {
        INFO(granularity_name(g) << " period " << format_day(r.grid()[p].start) << " slot " << r.slot_names()[s]);
        REQUIRE(r.get(*end, p, s) ==
                r.get(*start, p, s) + r.get(*nw, p, s) + r.get(*re, p, s) - r.get(*ch, p, s));
        ++checked;
      }
    CHECK(checked > 0);
  }
}

TEST_CASE("revenue-movement identity on the demo ERP, every period and segment") {
  Dataset data = load_sqlite_demo();
  REQUIRE(data.present.invoices);
  Engine engine(demo_settings());
  for (auto g : {Granularity::week, Granularity::month, Granularity::quarter}) {
    KpiResults r = engine.compute_kpis(data, g);
    auto rev = revenue_by_customer_period(data, r.grid());
    const char *names[] = {"new_revenue", "reactivation_revenue", "expansion_revenue", "contraction_revenue",
                           "churned_revenue"};
    std::vector<const KpiMatrix *> m;
    for (const char *n : names) {
      m.push_back(r.find(n));
      REQUIRE(m.back());
    }
    for (std::size_t p = 1; p < r.grid().size(); ++p)
      for (std::size_t s = 0; s < r.slots(); ++s) {
        INFO(granularity_name(g) << " period " << format_day(r.grid()[p].start) << " slot " << r.slot_names()[s]);
        double v0 = v_sum(rev, data, static_cast<int>(p) - 1, s), v1 = v_sum(rev, data, static_cast<int>(p), s);
        double moved = r.get(*m[0], p, s) + r.get(*m[1], p, s) + r.get(*m[2], p, s) - r.get(*m[3], p, s) -
                       r.get(*m[4], p, s);
        REQUIRE(v1 == Approx(v0 + moved).margin(1e-6));
      }
  }
}

TEST_CASE("rows after as_of are ignored and reported") {
  Dataset data = load_sqlite_demo();
  CHECK(data.quality.count("order_lines", reason::after_as_of) > 0);
  for (Day d : data.order_lines.day) REQUIRE(d <= parse_day(kAsOf));
}

TEST_CASE("the same demo ERP through SQLite and PostgreSQL gives identical tables", "[pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_test_engine_demo");
  {
    soci::session pg(soci::postgresql, *conn);
    demo::generate_demo_erp(pg, "postgresql", demo_options());
  }
  Dataset lite = load_sqlite_demo();
  soci::session pg(soci::postgresql, *conn);
  Dataset post = load(pg, "postgresql");
  REQUIRE(lite.order_lines.size() == post.order_lines.size());
  REQUIRE(lite.customers.size() == post.customers.size());

  Engine engine(demo_settings());
  auto compare = [](const Table &a, const Table &b) {
    REQUIRE(a.row_count() == b.row_count());
    REQUIRE(a.column_count() == b.column_count());
    for (std::size_t c = 0; c < a.column_count(); ++c) {
      const auto &ca = a.column(c), &cb = b.column(c);
      REQUIRE(ca.name == cb.name);
      for (std::size_t i = 0; i < a.row_count(); ++i) {
        INFO(a.name() << " column " << ca.name << " row " << i);
        REQUIRE(ca.null[i] == cb.null[i]);
        if (ca.null[i]) continue;
        if (!ca.text.empty()) REQUIRE(ca.text[i] == cb.text[i]);
        if (!ca.ints.empty()) REQUIRE(ca.ints[i] == cb.ints[i]);
        if (!ca.reals.empty()) REQUIRE(ca.reals[i] == Approx(cb.reals[i]).epsilon(1e-9).margin(1e-9));
      }
    }
  };
  compare(kpi_long_table(engine.compute_kpis(lite, Granularity::month)),
          kpi_long_table(engine.compute_kpis(post, Granularity::month)));
  compare(kpi_long_table(engine.compute_kpis(lite, Granularity::week)),
          kpi_long_table(engine.compute_kpis(post, Granularity::week)));
  for (const auto &name : {"cohort_retention", "cohort_revenue", "ticket_breakdown", "health", "detractor_followups",
                           "data_quality"})
    compare(engine.compute_table(lite, Granularity::month, name), engine.compute_table(post, Granularity::month, name));
}
