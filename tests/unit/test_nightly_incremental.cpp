// The incremental nightly run against SQLite (docs/nightly.md "Incremental
// runs"): a small ERP-like database with write_date columns and its own
// profile with change capture (tests/data/incremental_erp), read in full,
// edited with SQL (a replaced order, a cancelled one, a hard-deleted one, a
// re-assigned customer, a backdated order, a draft, a customer and an
// invoice edit), read incrementally, and compared table by table with a
// forced full run of the same data. Then every reason a saved model is not
// used, and a run stopped while saving.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/errors.hpp"
#include "incremental/model_file.hpp"
#include "nightly/model_plan.hpp"
#include "support/snapshot_compare.hpp"
#include "support/temp_dir.hpp"
#include "test_nightly_incremental_common.hpp"

using namespace cskpi;
using namespace cskpi::test;
namespace fs = std::filesystem;

namespace {

const std::string &kProfile = kIncrementalProfile;

struct Erp {
  TempDir dir;
  std::string source = (dir.path / "erp.sqlite").string();
  std::string target = (dir.path / "kpis.sqlite").string();
  Erp() {
    soci::session s(soci::sqlite3, source);
    fill_erp(s, false);
  }
  std::string config(const std::string &target_file, boost::json::object extra = {}) const {
    boost::json::object o{{"source", source_json("sqlite3", "db=" + source, kProfile)},
                          {"target", source_json("sqlite3", "db=" + target_file)},
                          {"as_of", kAsOf}};
    for (const auto &kv : extra) o[kv.key()] = kv.value();
    return boost::json::serialize(o);
  }
  std::string config(boost::json::object extra = {}) const { return config(target, std::move(extra)); }
  std::string model() const { return target + ".cskpi-model"; }
};

struct RunLog {
  std::string mode, fallback, digest;
  boost::json::object rows_read;
};

RunLog last_run(const std::string &target) {
  soci::session s(soci::sqlite3, target);
  RunLog r;
  std::string rows;
  soci::indicator fi = soci::i_null, di = soci::i_null, ri = soci::i_null;
  s << "SELECT mode, fallback, model_digest, rows_read FROM cskpi_run ORDER BY id DESC LIMIT 1", soci::into(r.mode),
      soci::into(r.fallback, fi), soci::into(r.digest, di), soci::into(rows, ri);
  if (fi == soci::i_null) r.fallback.clear();
  if (di == soci::i_null) r.digest.clear();
  if (ri != soci::i_null) r.rows_read = boost::json::parse(rows).as_object();
  return r;
}

// A run on an engine whose warnings are kept.
RunLog run_logged(const std::string &config, const std::string &target, std::vector<std::string> &warnings,
                  const std::string &options = "") {
  Engine e(parse_settings(config));
  e.set_log([&](int level, const std::string &m) {
    if (level >= 2) warnings.push_back(m);
  });
  run_nightly(e, options);
  return last_run(target);
}

RunLog run_once(const std::string &config, const std::string &target, const std::string &options = "") {
  std::vector<std::string> ignored;
  return run_logged(config, target, ignored, options);
}

std::string file_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The forced full run of the same source into a fresh target equals `target`'s snapshot.
void check_equals_full_run(const Erp &erp) {
  const std::string full = (erp.dir.path / "full.sqlite").string();
  fs::remove(full);
  fs::remove(full + ".cskpi-model");
  run_once(erp.config(full), full, R"({"full": true})");
  soci::session a(soci::sqlite3, erp.target), b(soci::sqlite3, full);
  const auto diffs = snapshot_differences(a, b, kAsOf);
  for (const auto &d : diffs) UNSCOPED_INFO(d);
  CHECK(diffs.empty());
  CHECK(count(a, std::string("SELECT count(*) FROM cskpi_kpi_value WHERE as_of = '") + kAsOf + "'") > 0);
}

}  // namespace

TEST_CASE("incremental nightly: full run, edits, an incremental run equal to a full run of the same data",
          "[nightly]") {
  Erp erp;
  RunLog first = run_once(erp.config(), erp.target);
  CHECK(first.mode == "full");
  CHECK(first.fallback == "no_model");
  REQUIRE(fs::exists(erp.model()));
  CHECK_FALSE(fs::exists(erp.model() + ".tmp"));
  std::string digest;
  incremental::read_model(erp.model(), incremental::model_identity(load_profile(kProfile, "sqlite3"),
                                                                    parse_settings(erp.config())),
                          digest);
  CHECK(digest == first.digest);
  // 40 orders of 1 + n % 3 lines: 14 orders of 2, 13 of 3, 13 of 1.
  CHECK(first.rows_read.at("order_lines").as_int64() == 14 * 2 + 13 * 3 + 13 * 1);
  CHECK(first.rows_read.at("customers").as_int64() == 12);

  {
    soci::session s(soci::sqlite3, erp.source);
    edit_erp(s, false);
  }
  RunLog second = run_once(erp.config(), erp.target);
  CHECK(second.mode == "incremental");
  CHECK(second.fallback.empty());
  CHECK(second.digest != first.digest);
  CHECK(second.rows_read.at("order_lines").as_int64() == kOrderChangeRows);
  CHECK(second.rows_read.at("order_lines.documents").as_int64() == kOrdersAfterEdit);
  CHECK(second.rows_read.at("customers").as_int64() == 1);
  CHECK(second.rows_read.at("invoices").as_int64() == 1);
  check_equals_full_run(erp);

  // Nothing new: the overlap reads the same changes again, nothing moves.
  RunLog third = run_once(erp.config(), erp.target);
  CHECK(third.mode == "incremental");
  CHECK(third.rows_read.at("order_lines").as_int64() == kOrderChangeRows);
  check_equals_full_run(erp);
}

TEST_CASE("incremental nightly: every reason a saved model is not used is a full run with that reason",
          "[nightly]") {
  Erp erp;
  run_once(erp.config(), erp.target);
  const std::string good = file_bytes(erp.model());
  std::vector<std::string> warnings;
  // The reason of a run with config; the full run saved a good model, so
  // the next run with the same configuration is incremental.
  auto full_because = [&](const std::string &config) {
    warnings.clear();
    RunLog r = run_logged(config, erp.target, warnings);
    CHECK(r.mode == "full");
    CHECK(run_once(config, erp.target).mode == "incremental");
    return r.fallback;
  };
  using cskpi::test::contains;

  SECTION("forced") {
    warnings.clear();
    RunLog r = run_logged(erp.config(), erp.target, warnings, R"({"full": true})");
    CHECK(r.mode == "full");
    CHECK(r.fallback == "forced");
    CHECK(run_once(erp.config(), erp.target).mode == "incremental");
  }
  SECTION("a flipped byte") {
    std::string bad = good;
    bad[bad.size() - 10] ^= 0x04;
    write_file(erp.model(), bad);
    CHECK(contains(full_because(erp.config()), "model_corrupt: payload checksum mismatch"));
    REQUIRE(warnings.size() == 1);
    CHECK(contains(warnings[0], "is not used"));
  }
  SECTION("truncated") {
    write_file(erp.model(), good.substr(0, good.size() / 2));
    CHECK(contains(full_because(erp.config()), "model_corrupt: truncated"));
  }
  SECTION("another format version") {
    std::string v = good;
    v[8] = 9;
    write_file(erp.model(), v);
    CHECK(contains(full_because(erp.config()), "model_version: format 9"));
  }
  SECTION("another profile's SQL") {
    TempDir copy;
    fs::copy(kProfile, copy.path / "p", fs::copy_options::recursive);
    std::ofstream(copy.path / "p" / "invoices.sql", std::ios::app) << "\n  AND i.amount > -1e18\n";
    boost::json::object o = boost::json::parse(erp.config()).as_object();
    o["source"].as_object()["profile"] = (copy.path / "p").string();
    CHECK(contains(full_because(boost::json::serialize(o)), "profile_changed"));
  }
  SECTION("other settings") {
    CHECK(contains(full_because(erp.config({{"timezone", "America/Sao_Paulo"}})), "settings_changed"));
  }
  SECTION("no file") {
    fs::remove(erp.model());
    CHECK(contains(full_because(erp.config()), "no_model"));
    CHECK(warnings.empty());  // nothing wrong: simply nothing saved
  }
  SECTION("a file that is not the latest run's model") {
    soci::session s(soci::sqlite3, erp.source);
    edit_erp(s, false);
    run_once(erp.config(), erp.target);  // a newer model replaces it
    write_file(erp.model(), good);
    CHECK(contains(full_because(erp.config()), "model_stale"));
  }
}

TEST_CASE("incremental nightly: a run stopped while saving leaves the previous model and snapshot", "[nightly]") {
  Erp erp;
  run_once(erp.config(), erp.target);
  const std::string model_before = file_bytes(erp.model());
  soci::session t(soci::sqlite3, erp.target);
  const auto counts = snapshot_counts(t);
  const double checksum = kpi_checksum(t);
  {
    soci::session s(soci::sqlite3, erp.source);
    edit_erp(s, false);
  }
  struct Fault {
    explicit Fault(void (*f)(const char *)) { incremental::model_save_fault = f; }
    ~Fault() { incremental::model_save_fault = nullptr; }
  };

  SECTION("stopped after the new model is written, before the snapshot commits") {
    {
      Fault fault([](const char *step) {
        if (std::string(step) == "commit") throw std::runtime_error("killed");
      });
      CHECK_THROWS(run(erp.config()));
    }
    CHECK(file_bytes(erp.model()) == model_before);
    CHECK(snapshot_counts(t) == counts);
    CHECK(kpi_checksum(t) == Approx(checksum).epsilon(1e-12));
    CHECK(run_status(t, last_run_id(t)).first == "failed");
    // The previous model still belongs to the latest succeeded run.
    RunLog next = run_once(erp.config(), erp.target);
    CHECK(next.mode == "incremental");
    check_equals_full_run(erp);
  }
  SECTION("stopped after the commit, before the rename") {
    {
      Fault fault([](const char *step) {
        if (std::string(step) == "rename") throw std::runtime_error("killed");
      });
      run(erp.config());
    }
    CHECK(file_bytes(erp.model()) == model_before);
    // The committed run names another model: never used, a full run instead.
    RunLog next = run_once(erp.config(), erp.target);
    CHECK(next.mode == "full");
    CHECK(next.fallback.rfind("model_stale", 0) == 0);
    check_equals_full_run(erp);
  }
}

TEST_CASE("incremental nightly: where the model file goes", "[nightly]") {
  auto path = [](const std::string &config) { return model_path(parse_settings(config)); };
  CHECK(path(R"({"target": {"backend": "sqlite3", "connection": "db=/var/lib/erp/kpis.sqlite timeout=5"}})") ==
        "/var/lib/erp/kpis.sqlite.cskpi-model");
  CHECK(path(R"({"target": {"backend": "postgresql", "connection": "dbname=erp"}})").empty());
  CHECK(path(R"({"target": {"backend": "postgresql", "connection": "dbname=erp"}, "nightly": {"model_path": "/m"}})") ==
        "/m");
}
