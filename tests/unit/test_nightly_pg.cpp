// The nightly job against the real PostgreSQL server of the test run
// (CSKPI_REQUIRE_PG): migrations, snapshot, idempotence, the advisory lock, a
// connection killed mid-write, cancel, unreachable servers, source and target
// in separate databases.
#include <catch2/catch.hpp>

#include <soci/postgresql/soci-postgresql.h>

#include "core/errors.hpp"
#include "engine/table_registry.hpp"
#include "nightly/lock.hpp"
#include "nightly/migrations.hpp"
#include "nightly/target.hpp"
#include "support/pg.hpp"
#include "test_nightly_common.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

boost::json::object pg(const std::string &conn) { return source_json("postgresql", conn); }

// A SQLite file with the canonical test data: the source of most PG tests.
struct SqliteSource {
  std::string path;
  explicit SqliteSource(const std::string &name) : path(temp_db(name)) {
    soci::session s(soci::sqlite3, path);
    fill_canonical_source(s);
  }
  ~SqliteSource() { std::filesystem::remove(path); }
  boost::json::object json() const { return source_json("sqlite3", "db=" + path); }
};

// The backend of the session holding the nightly run lock, seen from another
// session (pg_locks shows a bigint advisory key as classid/objid halves).
long long lock_holder_pid(soci::session &s) {
  long long pid = 0;
  soci::indicator ind = soci::i_null;
  // Advisory locks are per database; tests running in parallel use other
  // databases and hold their own.
  s << "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
       " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = " +
           std::to_string(static_cast<unsigned long long>(kRunLockKey) >> 32) +
           " AND objid = " + std::to_string(static_cast<unsigned long long>(kRunLockKey) & 0xffffffffULL),
      soci::into(pid, ind);
  return ind == soci::i_null ? 0 : pid;
}

}  // namespace

TEST_CASE("nightly pg: migrations are applied once", "[nightly][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_nightly_migrate");
  SourceSettings target{"postgresql", *conn, "canonical"};
  std::vector<int> expected;
  for (const auto &m : embedded_migrations("postgresql")) expected.push_back(m.version);
  {
    Target db(target);
    CHECK(applied_versions(db).empty());
    CHECK(apply_migrations(db, [](int, int) {}) == static_cast<int>(expected.size()));
    CHECK(applied_versions(db) == expected);
  }
  soci::session s(soci::postgresql, *conn);
  std::string stamp;
  s << "SELECT string_agg(version || '@' || applied_at, ',' ORDER BY version) FROM cskpi_schema_version",
      soci::into(stamp);
  {
    Target db(target);
    CHECK(apply_migrations(db, [](int, int) {}) == 0);
  }
  std::string again;
  s << "SELECT string_agg(version || '@' || applied_at, ',' ORDER BY version) FROM cskpi_schema_version",
      soci::into(again);
  CHECK(again == stamp);
  // Every snapshot table of the registry, plus cskpi_run and cskpi_schema_version.
  long long snapshot_tables = 0;
  for (const TableDecl &t : table_registry()) snapshot_tables += t.snapshot != nullptr;
  CHECK(count(s, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'cskpi\\_%'") ==
        snapshot_tables + 2);
}

TEST_CASE("nightly pg: a run fills the snapshot and a rerun replaces it", "[nightly][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_nightly_fill");
  SqliteSource src("pg_fill");
  std::string config = config_json(src.json(), pg(*conn));
  RunSummary first = summary_of(run(config, R"({"granularities": ["month", "week"]})"));
  CHECK(first.status == "succeeded");

  soci::session s(soci::postgresql, *conn);
  auto counts = snapshot_counts(s);
  Table kpis = engine_table(config, "kpis");
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE granularity = 'month'") ==
        static_cast<long long>(kpis.row_count()));
  CHECK(counts[0] == first.kpi_rows);
  CHECK(counts[4] == static_cast<long long>(engine_table(config, "health").row_count()));
  // Feedback exists every fourth month (2024-02 among them), tickets every third.
  const std::vector<std::pair<std::string, std::string>> cells = {
      {"customers_active_end", "2024-05-01"}, {"churn_rate", "2024-05-01"}, {"revenue", "2024-05-01"},
      {"nps", "2024-02-01"}, {"aov", "2024-05-01"}};
  check_snapshot_cells(s, kpis, cells);
  CHECK(snapshot_value(s, "customers_active_end", "2024-06-01", "enterprise") ==
        engine_value(kpis, "customers_active_end", "2024-06-01", "enterprise"));
  // Typed columns: dates are DATE, partial is boolean (as_of ends June: no partial period).
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE NOT partial AND period_start = DATE '2024-06-01' AND "
                 "granularity = 'month'") > 0);
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE partial") == 0);
  double checksum = kpi_checksum(s);

  RunSummary second = summary_of(run(config, R"({"granularities": ["month", "week"]})"));
  CHECK(second.run_id > first.run_id);
  CHECK(snapshot_counts(s) == counts);
  CHECK(kpi_checksum(s) == Approx(checksum).epsilon(1e-12));
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE run_id = " + std::to_string(first.run_id)) == 0);
  CHECK(count(s, "SELECT count(*) FROM cskpi_run WHERE status = 'succeeded'") == 2);
}

TEST_CASE("nightly pg: a second run is refused while the lock is held", "[nightly][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_nightly_busy");
  SqliteSource src("pg_busy");
  std::string config = config_json(src.json(), pg(*conn));

  // A real concurrent run, started while the first is writing.
  bool busy = false, other = false;
  RunSummary first = summary_of(run(config, "", [&](const std::string &phase, std::int64_t done, std::int64_t) {
    if (phase == "write" && done > 0 && !busy && !other) {
      try {
        run(config);
      } catch (const BusyError &) {
        busy = true;
      } catch (...) {
        other = true;
      }
    }
    return true;
  }));
  CHECK(busy);
  CHECK_FALSE(other);
  CHECK(first.status == "succeeded");
  soci::session s(soci::postgresql, *conn);
  auto counts = snapshot_counts(s);
  CHECK(counts[0] == first.kpi_rows);
  CHECK(count(s, "SELECT count(*) FROM cskpi_run") == 1);

  // The advisory lock held by another session.
  soci::session holder(soci::postgresql, *conn);
  holder << "SELECT pg_advisory_lock(" + std::to_string(kRunLockKey) + ")";
  CHECK_THROWS_AS(run(config), BusyError);
  CHECK(snapshot_counts(s) == counts);
  CHECK(count(s, "SELECT count(*) FROM cskpi_run") == 1);
  holder << "SELECT pg_advisory_unlock(" + std::to_string(kRunLockKey) + ")";
  CHECK(summary_of(run(config)).status == "succeeded");
  CHECK(lock_holder_pid(s) == 0);  // released after the run
}

TEST_CASE("nightly pg: a connection killed mid-write leaves no partial rows", "[nightly][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_nightly_kill");
  SqliteSource src("pg_kill");
  std::string config = config_json(src.json(), pg(*conn));
  RunSummary before = summary_of(run(config));
  soci::session s(soci::postgresql, *conn);
  auto counts = snapshot_counts(s);

  bool killed = false;
  CHECK_THROWS_AS(run(config, "", [&](const std::string &phase, std::int64_t done, std::int64_t) {
                    if (phase == "write" && done > 0 && !killed) {
                      long long pid = lock_holder_pid(s);
                      REQUIRE(pid != 0);
                      int ok = 0;
                      s << "SELECT CASE WHEN pg_terminate_backend(" + std::to_string(pid) + ", 5000) THEN 1 ELSE 0 END",
                          soci::into(ok);
                      killed = ok == 1;
                    }
                    return true;
                  }),
                  SourceError);
  REQUIRE(killed);
  long long id = last_run_id(s);
  CHECK(id > before.run_id);
  auto [status, error] = run_status(s, id);
  CHECK(status == "failed");
  CHECK_FALSE(error.empty());
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE run_id = " + std::to_string(id)) == 0);
  CHECK(count(s, "SELECT count(*) FROM cskpi_health WHERE run_id = " + std::to_string(id)) == 0);
  CHECK(snapshot_counts(s) == counts);  // the previous snapshot is intact
  CHECK(lock_holder_pid(s) == 0);

  RunSummary next = summary_of(run(config));
  CHECK(next.status == "succeeded");
  CHECK(snapshot_counts(s) == counts);
}

TEST_CASE("nightly pg: cancel leaves nothing half-written", "[nightly][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_nightly_cancel");
  SqliteSource src("pg_cancel");
  std::string config = config_json(src.json(), pg(*conn));
  CHECK_THROWS_AS(run(config, "", [](const std::string &phase, std::int64_t done, std::int64_t) {
                    return !(phase == "write" && done > 0);
                  }),
                  CancelledError);
  soci::session s(soci::postgresql, *conn);
  long long id = last_run_id(s);
  REQUIRE(id > 0);
  CHECK(run_status(s, id).first == "cancelled");
  for (long long n : snapshot_counts(s)) CHECK(n == 0);
  CHECK(lock_holder_pid(s) == 0);
  CHECK(summary_of(run(config)).status == "succeeded");
}

TEST_CASE("nightly pg: a run left 'running' by a dead process is closed by the next", "[nightly][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_nightly_abandoned");
  SqliteSource src("pg_abandoned");
  std::string config = config_json(src.json(), pg(*conn));
  run(config);
  soci::session s(soci::postgresql, *conn);
  s << "INSERT INTO cskpi_run (as_of, status, granularities, cskpi_version) VALUES ('2024-06-29', 'running', "
       "'month', 'test')";
  long long stale = last_run_id(s);
  run(config);
  auto [status, error] = run_status(s, stale);
  CHECK(status == "failed");
  CHECK(error.find("abandoned") != std::string::npos);
}

TEST_CASE("nightly pg: source and target in separate databases, or the same", "[nightly][pg]") {
  CSKPI_REQUIRE_PG(source_conn, "cskpi_nightly_source");
  auto target_conn = pg_fresh_database("cskpi_nightly_target");
  REQUIRE(target_conn);
  {
    soci::session s(soci::postgresql, *source_conn);
    fill_canonical_source(s);
  }
  std::string separate = config_json(pg(*source_conn), pg(*target_conn));
  RunSummary r = summary_of(run(separate));
  CHECK(r.status == "succeeded");
  soci::session target(soci::postgresql, *target_conn);
  CHECK(snapshot_counts(target)[0] == r.kpi_rows);
  soci::session source(soci::postgresql, *source_conn);
  CHECK(count(source, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'cskpi\\_%'") == 0);

  // Target omitted: the snapshot goes into the source database.
  std::string same = config_json(pg(*source_conn));
  RunSummary r2 = summary_of(run(same));
  CHECK(snapshot_counts(source)[0] == r2.kpi_rows);
  CHECK(r2.kpi_rows == r.kpi_rows);
  auto v = snapshot_value(source, "churn_rate", "2024-03-01");
  CHECK(v == snapshot_value(target, "churn_rate", "2024-03-01"));
}

TEST_CASE("nightly pg: an unreachable server is a SourceError and writes nothing", "[nightly][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_nightly_unreachable");
  SqliteSource src("pg_unreachable");
  // Nothing listens on port 1.
  std::string bad_target = config_json(src.json(), pg("host=127.0.0.1 port=1 dbname=x user=x connect_timeout=5"));
  CHECK_THROWS_AS(run(bad_target), SourceError);
  std::string bad_source = config_json(pg("host=127.0.0.1 port=1 dbname=x user=x connect_timeout=5"), pg(*conn));
  CHECK_THROWS_AS(run(bad_source), SourceError);
  soci::session s(soci::postgresql, *conn);
  CHECK(run_status(s, last_run_id(s)).first == "failed");
  for (long long n : snapshot_counts(s)) CHECK(n == 0);
}

TEST_CASE("nightly pg: a lock held on a cskpi_* table is waited for target.lock_timeout, then CSKPI_BUSY",
          "[nightly][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_nightly_lock_timeout");
  SqliteSource source("pg_lock_timeout");
  boost::json::object target = pg(*conn);
  target["lock_timeout"] = 1;
  std::string config = config_json(source.json(), target);
  CHECK(summary_of(run(config)).status == "succeeded");  // creates the tables
  // Another session (a report, a manual LOCK TABLE) holds the snapshot table.
  soci::session holder(soci::postgresql, *conn);
  holder << "BEGIN";
  holder << "LOCK TABLE cskpi_kpi_value IN ACCESS EXCLUSIVE MODE";
  try {
    run(config);  // without a lock timeout this waits as long as the lock is held
    FAIL("the run wrote through an exclusive lock");
  } catch (const BusyError &e) {
    std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("target.lock_timeout") != std::string::npos);
    CHECK(msg.find("lock timeout") != std::string::npos);  // the server's own words
    CHECK(msg.find("nothing was written") != std::string::npos);
  }
  holder << "ROLLBACK";
  soci::session s(soci::postgresql, *conn);
  CHECK(run_status(s, last_run_id(s)).first == "failed");
  CHECK(summary_of(run(config)).status == "succeeded");  // free again: runs normally
}
