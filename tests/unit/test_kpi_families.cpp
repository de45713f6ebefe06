// The KPI family declarations (plugin/kpi/families.cpp) against what the
// families do: the run order puts every family after what it reads, each
// family adds exactly the KPIs it declares (orders and subscriptions mode),
// and each family given only its declared reads computes the same values as
// in a full run, so it reads nothing it does not declare.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <set>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "demo_erp.hpp"
#include "kpi/families.hpp"
#include "kpi/flow.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/dataset_builder.hpp"

using namespace cskpi;

namespace {

// A small demo ERP: every source present, tickets and retention costs
// included, so every family has something to compute.
Dataset demo_dataset(const Settings &s) {
  std::string path = "test_kpi_families-" + std::to_string(getpid()) + ".sqlite";
  std::remove(path.c_str());
  Dataset data;
  {
    soci::session db(soci::sqlite3, "db=" + path);
    demo::DemoOptions o;
    o.seed = 11;
    o.customers = 150;
    o.first_date = "2024-01-01";
    o.last_date = "2025-03-31";
    demo::generate_demo_erp(db, "sqlite3", o);
    data = load_dataset(db, "sqlite3", load_profile("demo", "sqlite3"), s, parse_day("2025-03-31"));
  }
  std::remove(path.c_str());
  return data;
}

Settings settings_for(ActivityMode mode) {
  Settings s = parse_settings(R"({"sla_hours":{"default":48}})");
  s.activity_mode = mode;
  s.revenue_mode = mode == ActivityMode::subscriptions ? RevenueMode::subscriptions : RevenueMode::invoices;
  return s;
}

bool same(const std::vector<double> &a, const std::vector<double> &b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

// Runs family f on a KpiResults holding only `given` (copied from full).
KpiResults run_alone(const KpiFamily &f, const test::Fixture &fx, const KpiResults &full,
                     std::span<const std::string_view> given) {
  KpiResults out(fx.grid, fx.slot_names());
  for (auto name : given) out.add(std::string(name)).values = full.find(std::string(name))->values;
  f.compute(fx.context(), out);
  return out;
}

}  // namespace

TEST_CASE("kpi families: the run order puts every family after the ones it reads", "[families]") {
  const auto &order = kpi_family_order();
  REQUIRE(order.size() == kpi_families().size());
  std::set<std::string_view> added;
  for (const KpiFamily *f : order) {
    for (auto kpi : f->reads) CHECK(added.count(kpi) == 1);
    for (auto kpi : f->adds) CHECK(added.insert(kpi).second);  // no KPI declared twice
  }
  // support reads flow's customers_active_end (tickets_per_100_active, §6.2)
  auto position = [&](std::string_view name) {
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i]->name == name) return i;
    return order.size();
  };
  CHECK(position("flow") < position("support"));
}

TEST_CASE("kpi families: each family adds what it declares and needs only what it reads", "[families]") {
  const ActivityMode mode = GENERATE(ActivityMode::orders, ActivityMode::subscriptions);
  const Settings s = settings_for(mode);
  test::Fixture fx(demo_dataset(s), s);
  REQUIRE(fx.grid.size() == 15);

  // The engine's way: the flow counts shared through the context.
  std::optional<FlowCounts> local;
  const FlowCounts &counts = flow_counts(fx.context(), local);
  KpiContext shared = fx.context();
  shared.flow = &counts;
  KpiResults full(fx.grid, fx.slot_names());
  run_kpi_families(shared, full);  // throws if a family adds other KPIs than declared

  std::vector<std::string> names;
  for (const auto &m : full.kpis()) names.push_back(m.name);
  std::vector<std::string> declared;
  for (const KpiFamily *f : kpi_family_order())
    for (auto kpi : f->adds_in(s)) declared.emplace_back(kpi);
  CHECK(names == declared);

  for (const KpiFamily &f : kpi_families()) {
    INFO("family " << f.name);
    KpiResults alone = run_alone(f, fx, full, f.reads);
    for (auto kpi : f.adds_in(s)) {
      INFO("kpi " << kpi);
      CHECK(same(alone.find(std::string(kpi))->values, full.find(std::string(kpi))->values));
    }
  }
}

TEST_CASE("kpi families: a family denied its declared reads computes something else", "[families]") {
  // The check above can fail: support without flow's customers_active_end
  // leaves tickets_per_100_active null where the full run has values.
  const Settings s = settings_for(ActivityMode::orders);
  test::Fixture fx(demo_dataset(s), s);
  KpiResults full(fx.grid, fx.slot_names());
  run_kpi_families(fx.context(), full);
  const KpiFamily *support = nullptr;
  for (const KpiFamily &f : kpi_families())
    if (f.name == "support") support = &f;
  REQUIRE(support);
  KpiResults alone = run_alone(*support, fx, full, {});
  const auto &without = alone.find("tickets_per_100_active")->values;
  const auto &with = full.find("tickets_per_100_active")->values;
  CHECK_FALSE(same(without, with));
  std::size_t finite = 0;
  for (double v : with) finite += std::isfinite(v);
  CHECK(finite > 0);
}
