// Exactness of the incremental nightly run (issue 15, docs/nightly.md
// "Incremental runs"): after any sequence of days of activity on the demo
// ERP (inserts, edits, cancellations, re-drafts, customer re-assignments,
// a contact moved to another company, payments, hard deletions, backdated
// documents: hosts/demo apply_demo_day), the nightly run that applies the
// changes to its saved model writes the same snapshot as a forced full run
// into a second target, every table, every value (tests/support
// snapshot_compare). Random sequences (seeded; CSKPI_EXACT_SEED replays
// one), SQLite and PostgreSQL sources, small sizes: a few seconds each.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <unistd.h>

#include <boost/json.hpp>
#include <soci/soci.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "core/settings.hpp"
#include "demo_erp.hpp"
#include "engine/engine.hpp"
#include "nightly/nightly.hpp"
#include "support/pg.hpp"
#include "support/snapshot_compare.hpp"

namespace fs = std::filesystem;

namespace {

struct Target {
  fs::path file;
  explicit Target(const std::string &name)
      : file(fs::temp_directory_path() / ("cskpi_test_exact_" + std::to_string(getpid()) + "_" + name + ".sqlite")) {
    clear();
  }
  ~Target() { clear(); }
  void clear() {
    for (const char *suffix : {"", ".cskpi-model", ".cskpi-model.tmp"}) fs::remove(file.string() + suffix);
  }
  std::string connection() const { return "db=" + file.string(); }
};

std::string config(const std::string &backend, const std::string &source, const Target &target) {
  boost::json::object o{{"source", {{"backend", backend}, {"connection", source}, {"profile", "demo"}}},
                        {"target", {{"backend", "sqlite3"}, {"connection", target.connection()}}},
                        {"timezone", "UTC"}};
  return boost::json::serialize(o);
}

void nightly(const std::string &config_json, const std::string &as_of, bool full) {
  cskpi::Engine e(cskpi::parse_settings(config_json));
  boost::json::object options{{"as_of", as_of}};
  if (full) options["full"] = true;
  cskpi::run_nightly(e, boost::json::serialize(options));
}

std::string last_mode(const Target &t) {
  soci::session s(soci::sqlite3, t.connection());
  std::string mode;
  s << "SELECT mode FROM cskpi_run WHERE id = (SELECT max(id) FROM cskpi_run)", soci::into(mode);
  return mode;
}

std::uint64_t property_seed() {
  if (const char *e = std::getenv("CSKPI_EXACT_SEED")) return std::stoull(e);
  return std::random_device{}();
}

// Generates the ERP in `erp`, then `days` random days of activity, each
// followed by the nightly run into `incremental` (as it comes: full the
// first time, incremental after) and a forced full run into `full`.
void check_exact(soci::session &erp, const std::string &backend, const std::string &connection, int days) {
  const std::uint64_t seed = property_seed();
  INFO("CSKPI_EXACT_SEED=" << seed << " replays this sequence");
  std::mt19937_64 rng(seed);
  cskpi::demo::DemoOptions o;
  o.seed = rng() % 1000;
  o.customers = 200;
  o.first_date = "2024-01-01";
  o.last_date = "2024-09-30";
  cskpi::demo::generate_demo_erp(erp, backend, o);

  Target incremental(backend + "_incremental"), full(backend + "_full");
  const std::string inc_config = config(backend, connection, incremental), full_config = config(backend, connection, full);
  nightly(inc_config, "2024-09-30", false);
  for (int k = 0; k < days; ++k) {
    cskpi::demo::DayOptions d;
    d.seed = rng();
    // From a quiet day (about one change of each kind) to a day busier
    // than the whole ERP's usual month.
    d.customers = static_cast<int>(200 + rng() % 40000);
    const cskpi::demo::DayStats day = cskpi::demo::apply_demo_day(erp, backend, d);
    INFO("day " << k + 1 << ": " << day.day << ", scale " << d.customers << " customers");
    nightly(inc_config, day.day, false);
    nightly(full_config, day.day, true);
    CHECK(last_mode(incremental) == "incremental");
    CHECK(last_mode(full) == "full");
    soci::session a(soci::sqlite3, incremental.connection()), b(soci::sqlite3, full.connection());
    const auto differences = cskpi::test::snapshot_differences(a, b, day.day);
    for (const auto &line : differences) UNSCOPED_INFO(line);
    CHECK(differences.empty());
  }
}

}  // namespace

TEST_CASE("nightly exact: incremental runs equal full runs after random days, SQLite source", "[nightly][exact]") {
  const fs::path file = fs::temp_directory_path() / ("cskpi_test_exact_" + std::to_string(getpid()) + "_erp.sqlite");
  fs::remove(file);
  {
    soci::session erp(soci::sqlite3, "db=" + file.string());
    check_exact(erp, "sqlite3", "db=" + file.string(), 4);
  }
  fs::remove(file);
}

TEST_CASE("nightly exact: incremental runs equal full runs after random days, PostgreSQL source",
          "[nightly][exact][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_test_exact");
  soci::session erp(soci::postgresql, *conn);
  check_exact(erp, "postgresql", *conn, 4);
}
