// The nightly job against SQLite (temp files): options, migrations, the
// snapshot it writes, idempotence, the lock, cancel and failures.
// PostgreSQL: test_nightly_pg.cpp.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/errors.hpp"
#include "nightly/migrations.hpp"
#include "nightly/options.hpp"
#include "nightly/target.hpp"
#include "test_nightly_common.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

// A source file filled with the canonical test data, and a target path.
struct Files {
  std::string source, target;
  explicit Files(const std::string &name) : source(temp_db(name + "_src")), target(temp_db(name + "_dst")) {
    soci::session s(soci::sqlite3, source);
    fill_canonical_source(s);
  }
  ~Files() {
    std::filesystem::remove(source);
    std::filesystem::remove(target);
  }
  std::string config() const {
    return config_json(source_json("sqlite3", "db=" + source), source_json("sqlite3", "db=" + target));
  }
};

}  // namespace

TEST_CASE("nightly options: defaults, values and errors", "[nightly]") {
  Settings s = parse_settings(R"({"as_of": "2024-06-30", "granularity": "week"})");
  NightlyOptions d = parse_nightly_options("", s);
  CHECK(format_day(d.as_of) == "2024-06-30");
  REQUIRE(d.granularities.size() == 1);
  CHECK(d.granularities[0] == Granularity::week);
  CHECK(d.lookback_periods == 0);

  NightlyOptions o = parse_nightly_options(
      R"({"as_of": "2024-01-31", "granularities": ["month", "day", "month"], "lookback_periods": 3})", s);
  CHECK(format_day(o.as_of) == "2024-01-31");
  CHECK(o.granularities == std::vector<Granularity>{Granularity::month, Granularity::day});  // repeats dropped
  CHECK(o.lookback_periods == 3);

  CHECK_THROWS_AS(parse_nightly_options(R"({"asof": "2024-01-31"})", s), ConfigError);
  CHECK_THROWS_AS(parse_nightly_options(R"({"as_of": "2024-13-01"})", s), ConfigError);
  CHECK_THROWS_AS(parse_nightly_options(R"({"granularities": []})", s), ConfigError);
  CHECK_THROWS_AS(parse_nightly_options(R"({"granularities": ["fortnight"]})", s), ConfigError);
  CHECK_THROWS_AS(parse_nightly_options(R"({"lookback_periods": 0})", s), ConfigError);
  CHECK_THROWS_AS(parse_nightly_options(R"({"lookback_periods": "3"})", s), ConfigError);
  CHECK_THROWS_AS(parse_nightly_options("[1]", s), ConfigError);
  CHECK_THROWS_AS(parse_nightly_options("{", s), ConfigError);
}

TEST_CASE("nightly migrations: both backends have the same versions", "[nightly]") {
  auto lite = embedded_migrations("sqlite3");
  auto pg = embedded_migrations("postgresql");
  REQUIRE(!lite.empty());
  REQUIRE(lite.size() == pg.size());
  for (std::size_t i = 0; i < lite.size(); ++i) {
    CHECK(lite[i].version == pg[i].version);
    CHECK(lite[i].name == pg[i].name);
    if (i) CHECK(lite[i].version > lite[i - 1].version);
  }
  CHECK(embedded_migrations("oracle").empty());
}

TEST_CASE("nightly migrations: statements are split at line-ending semicolons", "[nightly]") {
  auto s = split_statements("-- comment; not a statement\nCREATE TABLE a (x TEXT DEFAULT ';');\n\n"
                            "CREATE INDEX i\n  ON a (x);\nSELECT 1");
  REQUIRE(s.size() == 3);
  CHECK(s[0] == "CREATE TABLE a (x TEXT DEFAULT ';')");
  CHECK(s[1] == "CREATE INDEX i\n  ON a (x)");
  CHECK(s[2] == "SELECT 1");
}

TEST_CASE("nightly sqlite: migrations are applied once", "[nightly]") {
  std::string path = temp_db("migrate");
  SourceSettings target{"sqlite3", "db=" + path, "canonical"};
  std::vector<int> expected;
  for (const auto &m : embedded_migrations("sqlite3")) expected.push_back(m.version);
  {
    Target db(target);
    CHECK(applied_versions(db).empty());
    int calls = 0;
    CHECK(apply_migrations(db, [&](int, int total) {
            ++calls;
            CHECK(total == static_cast<int>(expected.size()));
          }) == static_cast<int>(expected.size()));
    CHECK(calls == static_cast<int>(expected.size()) + 1);
    CHECK(applied_versions(db) == expected);
  }
  soci::session s(soci::sqlite3, path);
  std::string stamp;
  s << "SELECT group_concat(version || '@' || applied_at) FROM cskpi_schema_version", soci::into(stamp);
  {
    Target db(target);
    CHECK(apply_migrations(db, [](int, int) {}) == 0);
  }
  std::string again;
  s << "SELECT group_concat(version || '@' || applied_at) FROM cskpi_schema_version", soci::into(again);
  CHECK(again == stamp);
  std::filesystem::remove(path);
}

TEST_CASE("nightly sqlite: a run fills every snapshot table with the engine's values", "[nightly]") {
  Files f("fill");
  std::vector<std::string> phases;
  Table summary = run(f.config(), "", [&](const std::string &phase, std::int64_t, std::int64_t) {
    if (phases.empty() || phases.back() != phase) phases.push_back(phase);
    return true;
  });
  RunSummary r = summary_of(summary);
  CHECK(summary.name() == "nightly_run");
  CHECK(r.status == "succeeded");
  CHECK(format_day(parse_day(summary.column(1).text.at(0))) == kAsOf);

  // Phases in order: migrate, read:<source>..., compute, write.
  REQUIRE(phases.size() >= 4);
  CHECK(phases.front() == "migrate");
  CHECK(phases[1].rfind("read:", 0) == 0);
  CHECK(phases[phases.size() - 2] == "compute");
  CHECK(phases.back() == "write");

  soci::session s(soci::sqlite3, f.target);
  auto counts = snapshot_counts(s);
  Table kpis = engine_table(f.config(), "kpis");
  CHECK(counts[0] == static_cast<long long>(kpis.row_count()));
  CHECK(counts[0] == r.kpi_rows);
  CHECK(counts[1] == static_cast<long long>(engine_table(f.config(), "cohort_retention").row_count()));
  CHECK(counts[3] == static_cast<long long>(engine_table(f.config(), "ticket_breakdown").row_count()));
  CHECK(counts[4] == static_cast<long long>(engine_table(f.config(), "health").row_count()));
  CHECK(counts[6] == static_cast<long long>(engine_table(f.config(), "data_quality").row_count()));
  CHECK(counts[7] == static_cast<long long>(engine_table(f.config(), "customer_movements").row_count()));
  CHECK(counts[7] > 0);
  CHECK(counts[8] == static_cast<long long>(engine_table(f.config(), "clv").row_count()));
  CHECK(counts[9] == 2);  // one overall fit: bgnbd and gamma_gamma
  CHECK(counts[10] == static_cast<long long>(engine_table(f.config(), "clv_validation").row_count()));
  long long table_rows = 0;
  for (std::size_t i = 1; i < counts.size(); ++i) table_rows += counts[i];
  CHECK(table_rows == r.table_rows);
  for (std::size_t i = 0; i < 5; ++i) CHECK(counts[i] > 0);

  // Feedback exists every fourth month (2024-02 among them), tickets every third.
  const std::vector<std::pair<std::string, std::string>> cells = {
      {"customers_active_end", "2024-05-01"}, {"churn_rate", "2024-05-01"}, {"revenue", "2024-05-01"},
      {"nps", "2024-02-01"}, {"tickets_opened", "2024-04-01"}};
  check_snapshot_cells(s, kpis, cells);
  CHECK(snapshot_value(s, "customers_active_end", "2024-05-01", "smb") == engine_value(kpis, "customers_active_end", "2024-05-01", "smb"));
  // Every row carries the run, and the run row its outcome.
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE run_id <> " + std::to_string(r.run_id)) == 0);
  CHECK(count(s, "SELECT count(*) FROM cskpi_cohort_retention WHERE granularity <> 'month'") == 0);
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE partial <> 0") == 0);  // as_of ends June
  CHECK(run_status(s, r.run_id).first == "succeeded");
  std::string rows_read;
  long long duration = -1;
  s << "SELECT rows_read, duration_ms FROM cskpi_run WHERE id = " + std::to_string(r.run_id), soci::into(rows_read),
      soci::into(duration);
  auto read = boost::json::parse(rows_read).as_object();
  CHECK(read.at("customers").as_int64() == 30);
  CHECK(read.at("order_lines").as_int64() > 0);
  CHECK(duration >= 0);
}

TEST_CASE("nightly options: full", "[nightly]") {
  Settings s = parse_settings(R"({"as_of": "2024-06-30"})");
  CHECK_FALSE(parse_nightly_options("", s).full);
  CHECK(parse_nightly_options(R"({"full": true})", s).full);
  CHECK_FALSE(parse_nightly_options(R"({"full": false})", s).full);
  CHECK_THROWS_AS(parse_nightly_options(R"({"full": 1})", s), ConfigError);
  CHECK_THROWS_AS(parse_nightly_options(R"({"full": "yes"})", s), ConfigError);
}

TEST_CASE("nightly sqlite: the run log says how the sources were read (migration 0004)", "[nightly]") {
  Files f("mode");
  RunSummary r = summary_of(run(f.config()));
  RunSummary forced = summary_of(run(f.config(), R"({"full": true})"));
  soci::session s(soci::sqlite3, f.target);
  for (long long id : {r.run_id, forced.run_id}) {
    std::string mode;
    soci::indicator fallback_ind = soci::i_ok, digest_ind = soci::i_ok;
    std::string fallback, digest;
    s << "SELECT mode, fallback, model_digest FROM cskpi_run WHERE id = " + std::to_string(id), soci::into(mode),
        soci::into(fallback, fallback_ind), soci::into(digest, digest_ind);
    // The canonical profile declares no change capture: every run is full,
    // which is no fallback, and no model is saved.
    CHECK(mode == "full");
    CHECK(fallback_ind == soci::i_null);
    CHECK(digest_ind == soci::i_null);
  }
}

TEST_CASE("nightly sqlite: rerunning the same as_of replaces the rows", "[nightly]") {
  Files f("rerun");
  RunSummary first = summary_of(run(f.config()));
  soci::session s(soci::sqlite3, f.target);
  auto counts = snapshot_counts(s);
  double checksum = kpi_checksum(s);

  RunSummary second = summary_of(run(f.config()));
  CHECK(second.run_id > first.run_id);
  CHECK(snapshot_counts(s) == counts);
  CHECK(kpi_checksum(s) == Approx(checksum).epsilon(1e-12));
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE run_id = " + std::to_string(first.run_id)) == 0);
  CHECK(count(s, "SELECT count(*) FROM (SELECT 1 FROM cskpi_kpi_value GROUP BY as_of, granularity, kpi, segment, "
                 "period_start HAVING count(*) > 1) d") == 0);
  CHECK(count(s, "SELECT count(*) FROM cskpi_run WHERE status = 'succeeded'") == 2);

  // Another as_of is a snapshot of its own; the first stays.
  summary_of(run(f.config(), R"({"as_of": "2024-05-31"})"));
  CHECK(snapshot_counts(s) == counts);
  CHECK(snapshot_counts(s, "2024-05-31")[0] > 0);
}

TEST_CASE("nightly sqlite: granularities and lookback_periods", "[nightly]") {
  Files f("lookback");
  RunSummary r =
      summary_of(run(f.config(), R"({"granularities": ["month", "quarter", "year"], "lookback_periods": 3})"));
  CHECK(r.status == "succeeded");
  soci::session s(soci::sqlite3, f.target);
  CHECK(count(s, "SELECT count(DISTINCT period_start) FROM cskpi_kpi_value WHERE granularity = 'month'") == 3);
  CHECK(count(s, "SELECT count(DISTINCT period_start) FROM cskpi_kpi_value WHERE granularity = 'quarter'") == 3);
  CHECK(count(s, "SELECT count(DISTINCT period_start) FROM cskpi_kpi_value WHERE granularity = 'year'") == 2);
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE granularity = 'year' AND period_start = '2024-01-01' "
                 "AND partial = 0") == 0);
  CHECK(count(s, "SELECT min(period_start) = '2024-04-01' FROM cskpi_kpi_value WHERE granularity = 'month'") == 1);
  CHECK(count(s, "SELECT count(*) FROM cskpi_cohort_retention WHERE granularity = 'month' AND period_start < "
                 "'2024-04-01'") == 0);
  CHECK(count(s, "SELECT count(*) FROM cskpi_cohort_retention WHERE granularity = 'quarter'") > 0);
  // Per-granularity tables carry both, the others one copy.
  CHECK(count(s, "SELECT count(DISTINCT granularity) FROM cskpi_detractor_followup") <= 3);
  CHECK(count(s, "SELECT count(*) FROM cskpi_health") == static_cast<long long>(engine_table(f.config(), "health").row_count()));
  std::string granularities;
  s << "SELECT granularities FROM cskpi_run WHERE id = " + std::to_string(r.run_id), soci::into(granularities);
  CHECK(granularities == "month,quarter,year");
}

TEST_CASE("nightly sqlite: target defaults to the source database", "[nightly]") {
  std::string path = temp_db("same");
  {
    soci::session s(soci::sqlite3, path);
    fill_canonical_source(s);
  }
  std::string config = config_json(source_json("sqlite3", "db=" + path));
  CHECK(summary_of(run(config)).status == "succeeded");
  CHECK(summary_of(run(config)).status == "succeeded");
  soci::session s(soci::sqlite3, path);
  CHECK(snapshot_counts(s)[0] == static_cast<long long>(engine_table(config, "kpis").row_count()));
  CHECK(count(s, "SELECT count(*) FROM customers") == 30);  // the source is untouched
  std::filesystem::remove(path);
}

TEST_CASE("nightly sqlite: a mistyped source path without a target creates no file", "[nightly]") {
  // The target defaults to the source: it must not grow an empty database
  // (with cskpi_* tables) on the typo and then fail on "no such table".
  std::string missing = temp_db("typo");
  std::filesystem::remove(missing);
  try {
    run(config_json(source_json("sqlite3", "db=" + missing)));
    FAIL("a nightly run on a missing source file succeeded");
  } catch (const SourceError &e) {
    CHECK(std::string(e.what()).find("does not exist") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(missing));
}

TEST_CASE("nightly sqlite: a second run is refused while the first holds the lock", "[nightly]") {
  Files f("busy");
  bool busy = false, other = false;
  std::string message;
  Table summary = run(f.config(), "", [&](const std::string &phase, std::int64_t done, std::int64_t) {
    if (phase == "write" && done > 0 && !busy && !other) {
      try {
        run(f.config());
      } catch (const BusyError &e) {
        busy = true;
        message = e.what();
      } catch (...) {
        other = true;
      }
    }
    return true;
  });
  CHECK(busy);
  CHECK_FALSE(other);
  CHECK(message.find("another cskpi nightly run") != std::string::npos);
  RunSummary r = summary_of(summary);
  CHECK(r.status == "succeeded");
  soci::session s(soci::sqlite3, f.target);
  CHECK(count(s, "SELECT count(*) FROM cskpi_run") == 1);  // the refused run wrote nothing
  CHECK(snapshot_counts(s)[0] == r.kpi_rows);

  // Another connection's write transaction: refused quickly, data untouched.
  auto counts = snapshot_counts(s);
  s << "BEGIN IMMEDIATE";
  auto t0 = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(run(f.config()), BusyError);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
  s << "ROLLBACK";
  CHECK(snapshot_counts(s) == counts);
  CHECK(count(s, "SELECT count(*) FROM cskpi_run") == 1);
  CHECK(summary_of(run(f.config())).status == "succeeded");
}

TEST_CASE("nightly sqlite: cancel during the write leaves the previous snapshot", "[nightly]") {
  Files f("cancel");
  RunSummary first = summary_of(run(f.config()));
  soci::session s(soci::sqlite3, f.target);
  auto counts = snapshot_counts(s);

  CHECK_THROWS_AS(run(f.config(), "", [](const std::string &phase, std::int64_t done, std::int64_t) {
                    return !(phase == "write" && done > 0);
                  }),
                  CancelledError);
  long long id = last_run_id(s);
  CHECK(id > first.run_id);
  auto [status, error] = run_status(s, id);
  CHECK(status == "cancelled");
  CHECK(error.find("cancelled") != std::string::npos);
  CHECK(snapshot_counts(s) == counts);
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE run_id = " + std::to_string(id)) == 0);
  CHECK(count(s, "SELECT count(*) FROM cskpi_kpi_value WHERE run_id <> " + std::to_string(first.run_id)) == 0);

  // A cancel while reading the source: the same.
  CHECK_THROWS_AS(run(f.config(), "", [](const std::string &phase, std::int64_t, std::int64_t) {
                    return phase.rfind("read:", 0) != 0;
                  }),
                  CancelledError);
  CHECK(run_status(s, last_run_id(s)).first == "cancelled");
  CHECK(snapshot_counts(s) == counts);
  CHECK(summary_of(run(f.config())).status == "succeeded");
}

TEST_CASE("nightly sqlite: bad options, profile or database write nothing", "[nightly]") {
  Files f("errors");
  // Unknown option and unknown profile: the target is never created.
  CHECK_THROWS_AS(run(f.config(), R"({"granularity": "month"})"), ConfigError);
  CHECK_FALSE(std::filesystem::exists(f.target));
  std::string bad_profile =
      config_json(source_json("sqlite3", "db=" + f.source, "no_such_profile"), source_json("sqlite3", "db=" + f.target));
  CHECK_THROWS_AS(run(bad_profile), ProfileError);
  CHECK_FALSE(std::filesystem::exists(f.target));

  // A missing source file: the run is recorded as failed, no snapshot row.
  std::string missing = temp_db("errors_missing");
  std::string no_source =
      config_json(source_json("sqlite3", "db=" + missing), source_json("sqlite3", "db=" + f.target));
  CHECK_THROWS_AS(run(no_source), SourceError);
  CHECK_FALSE(std::filesystem::exists(missing));
  {
    soci::session s(soci::sqlite3, f.target);
    auto [status, error] = run_status(s, last_run_id(s));
    CHECK(status == "failed");
    CHECK(error.find("does not exist") != std::string::npos);
    for (long long n : snapshot_counts(s)) CHECK(n == 0);
  }

  // A profile whose table lacks a column: ProfileError, recorded, nothing written.
  {
    soci::session s(soci::sqlite3, f.source);
    s << "ALTER TABLE order_lines RENAME COLUMN amount TO total";
  }
  CHECK_THROWS_AS(run(f.config()), ProfileError);
  soci::session s(soci::sqlite3, f.target);
  CHECK(run_status(s, last_run_id(s)).first == "failed");
  for (long long n : snapshot_counts(s)) CHECK(n == 0);

  // A target that cannot be opened.
  std::string unreachable = config_json(source_json("sqlite3", "db=" + f.source),
                                        source_json("sqlite3", "db=/nonexistent-dir/cskpi/target.sqlite"));
  CHECK_THROWS_AS(run(unreachable), SourceError);
}

TEST_CASE("nightly: a MySQL source without a sqlite3/postgresql target is a configuration error", "[nightly]") {
  Engine engine(parse_settings(R"({"source":{"backend":"mysql","connection":"host=127.0.0.1 port=1 db=x"}})"));
  CHECK_THROWS_AS(run_nightly(engine, "{}"), ConfigError);
}
