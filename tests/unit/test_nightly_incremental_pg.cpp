// The incremental nightly run with a PostgreSQL source and target
// (docs/nightly.md "Incremental runs"): the changes SELECTs' :since bound
// through libpq ($1, timestamps compared with it), the documents SELECT
// streamed, the model file at nightly.model_path; an incremental run after
// the edits of test_nightly_incremental_common.hpp equals a forced full run
// into another database. SQLite: test_nightly_incremental.cpp.
#include <catch2/catch.hpp>

#include <soci/postgresql/soci-postgresql.h>

#include "support/pg.hpp"
#include "support/snapshot_compare.hpp"
#include "support/temp_dir.hpp"
#include "test_nightly_incremental_common.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

std::string config(const std::string &source, const std::string &target, const std::string &model) {
  boost::json::object o{{"source", source_json("postgresql", source, kIncrementalProfile)},
                        {"target", source_json("postgresql", target)},
                        {"as_of", kAsOf},
                        {"nightly", {{"model_path", model}}}};
  return boost::json::serialize(o);
}

std::pair<std::string, std::string> last_mode(soci::session &s) {
  std::string mode, fallback;
  soci::indicator ind = soci::i_null;
  s << "SELECT mode, fallback FROM cskpi_run ORDER BY id DESC LIMIT 1", soci::into(mode), soci::into(fallback, ind);
  return {mode, ind == soci::i_null ? std::string() : fallback};
}

long long rows_read(soci::session &s, const std::string &source) {
  std::string json;
  s << "SELECT rows_read FROM cskpi_run ORDER BY id DESC LIMIT 1", soci::into(json);
  return boost::json::parse(json).as_object().at(source).as_int64();
}

}  // namespace

TEST_CASE("incremental nightly pg: edits read through the changes SELECTs equal a full run", "[nightly][pg]") {
  CSKPI_REQUIRE_PG(source_db, "cskpi_incr_src");
  CSKPI_REQUIRE_PG(target_db, "cskpi_incr_dst");
  CSKPI_REQUIRE_PG(full_db, "cskpi_incr_full");
  const std::string source = *source_db, target = *target_db, full = *full_db;
  TempDir dir;
  const std::string model = (dir.path / "erp.cskpi-model").string();
  soci::session src(soci::postgresql, source);
  fill_erp(src, true);

  run(config(source, target, model));
  soci::session t(soci::postgresql, target);
  CHECK(last_mode(t) == std::make_pair(std::string("full"), std::string("no_model")));

  edit_erp(src, true);
  run(config(source, target, model));
  CHECK(last_mode(t) == std::make_pair(std::string("incremental"), std::string()));
  CHECK(rows_read(t, "order_lines") == kOrderChangeRows);
  CHECK(rows_read(t, "order_lines.documents") == kOrdersAfterEdit);
  CHECK(rows_read(t, "invoices") == 1);

  run(config(source, full, (dir.path / "full.cskpi-model").string()), R"({"full": true})");
  soci::session f(soci::postgresql, full);
  CHECK(last_mode(f) == std::make_pair(std::string("full"), std::string("forced")));
  const auto diffs = snapshot_differences(t, f, kAsOf);
  for (const auto &d : diffs) UNSCOPED_INFO(d);
  CHECK(diffs.empty());
}

TEST_CASE("incremental nightly pg: a PostgreSQL target without nightly.model_path reads in full", "[nightly][pg]") {
  CSKPI_REQUIRE_PG(source_db, "cskpi_incr_nopath");
  const std::string source = *source_db;
  soci::session src(soci::postgresql, source);
  fill_erp(src, true);
  boost::json::object o{{"source", source_json("postgresql", source, kIncrementalProfile)}, {"as_of", kAsOf}};
  run(boost::json::serialize(o));
  run(boost::json::serialize(o));
  CHECK(last_mode(src) == std::make_pair(std::string("full"), std::string("no_model_path")));
}
