// Conformance of the demo profile's change capture (sql/profiles/demo/
// <source>.changes.sql and <source>.documents.sql; the contract is in
// docs/profiles/README.md "Change capture"), run straight on the demo ERP's
// database, SQLite and PostgreSQL, without the loader:
//   * with :since at the epoch, the rows of S.changes.sql with live = 1 are
//     the rows of S.sql (as multisets), and every document S.documents.sql
//     lists has at least one row (and no other document has one);
//   * after one day of activity (hosts/demo apply_demo_day), S.changes.sql
//     with :since = the day's write_date returns exactly the documents the
//     day touched, S.documents.sql no longer lists the deleted ones, and
//     the first property still holds;
//   * with :since after the day, nothing has changed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <soci/soci.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "demo_erp.hpp"
#include "support/canonical_columns.hpp"
#include "support/pg.hpp"

namespace fs = std::filesystem;

namespace {

// The sources with a document key (docs/nightly.md "Incremental runs"),
// their canonical columns (docs/kpis.md §1), the key first: every source
// but retention_costs.
const std::map<std::string, std::vector<std::string>> &captured_sources() {
  static const auto m = [] {
    auto sources = cskpi::test::canonical_columns();
    sources.erase("retention_costs");
    return sources;
  }();
  return m;
}

const std::string kEpoch = "1970-01-01 00:00:00";

std::string read_text(const fs::path &p) {
  std::ifstream in(p);
  INFO(p.string());
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The demo profile's file <stem>.sql, with the backend's override.
std::string profile_file(const std::string &stem, const std::string &backend) {
  const fs::path dir = fs::path(CSKPI_SQL_DIR) / "profiles" / "demo";
  const fs::path over = dir / backend / (stem + ".sql");
  return read_text(fs::exists(over) ? over : dir / (stem + ".sql"));
}

// sql without its '--' comments (outside quotes). SOCI's PostgreSQL backend
// takes every ':' outside quotes for a parameter, comments included, so a
// profile file is prepared without them (as cskpi does).
std::string without_comments(const std::string &sql) {
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '\'') quoted = !quoted;
    if (!quoted && sql.compare(i, 2, "--") == 0) {
      while (i < sql.size() && sql[i] != '\n') ++i;
      if (i == sql.size()) break;
    }
    out += sql[i];
  }
  return out;
}

using Row = std::vector<std::string>;  // cells as the database spells them in text; "\\N" = NULL

// The rows of `sql` (`columns` of it, each cast to text by the database, so
// both SELECTs are compared in one spelling), :since bound when given.
std::vector<Row> fetch(soci::session &db, const std::string &sql, const std::vector<std::string> &columns,
                       const std::string *since = nullptr) {
  std::string list;
  for (const auto &c : columns) list += (list.empty() ? "" : ", ") + ("CAST(q." + c + " AS TEXT)");
  const std::string wrapped = "SELECT " + list + " FROM (\n" + without_comments(sql) + "\n) q";
  std::string bound = since ? *since : std::string();
  soci::rowset<soci::row> rs = since ? (db.prepare << wrapped, soci::use(bound, "since")) : (db.prepare << wrapped);
  std::vector<Row> out;
  for (const auto &r : rs) {
    Row row;
    for (std::size_t i = 0; i < r.size(); ++i)
      row.push_back(r.get_indicator(i) == soci::i_null ? "\\N" : r.get<std::string>(i));
    out.push_back(std::move(row));
  }
  return out;
}

struct Capture {
  std::multiset<Row> live;         // live = 1 rows, without live
  std::set<std::string> documents;  // keys of every row
  std::size_t rows = 0;
  std::size_t bad_live = 0;  // rows whose live is neither 1 nor 0
};

Capture changes_since(soci::session &db, const std::string &backend, const std::string &source,
                      const std::string &since) {
  std::vector<std::string> cols = captured_sources().at(source);
  cols.push_back("live");
  Capture c;
  for (Row &r : fetch(db, profile_file(source + ".changes", backend), cols, &since)) {
    ++c.rows;
    c.documents.insert(r.front());
    const std::string live = r.back();
    if (live != "1" && live != "0") ++c.bad_live;
    r.pop_back();
    if (live == "1") c.live.insert(std::move(r));
  }
  return c;
}

std::set<std::string> documents(soci::session &db, const std::string &backend, const std::string &source) {
  std::set<std::string> out;
  for (Row &r : fetch(db, profile_file(source + ".documents", backend), {"document_id"})) out.insert(r.front());
  return out;
}

// Property 1: the changes SELECT since the epoch is the source whole.
void check_whole(soci::session &db, const std::string &backend) {
  for (const auto &[source, cols] : captured_sources()) {
    INFO(backend << " " << source);
    const std::vector<Row> base = fetch(db, profile_file(source, backend), cols);
    const Capture all = changes_since(db, backend, source, kEpoch);
    CHECK(base.size() > 10);
    CHECK(all.live == std::multiset<Row>(base.begin(), base.end()));
    CHECK(all.documents == documents(db, backend, source));
    CHECK(all.rows >= all.documents.size());
    CHECK(all.bad_live == 0);
  }
}

void check_profile_capture(soci::session &db, const std::string &backend) {
  cskpi::demo::DemoOptions o;
  o.customers = 300;
  o.first_date = "2024-01-01";
  o.last_date = "2025-06-30";
  cskpi::demo::generate_demo_erp(db, backend, o);
  check_whole(db, backend);

  cskpi::demo::DayOptions d;
  d.seed = 5;
  d.customers = 20000;  // a busy day for 300 customers: every kind of change several times
  d.stamp = "2025-07-01 03:00:00";
  const cskpi::demo::DayStats day = cskpi::demo::apply_demo_day(db, backend, d);
  REQUIRE(day.day == "2025-07-01");
  CHECK(day.counts.at("new_orders") == 200);
  CHECK(day.counts.at("deleted_documents") >= 3);
  for (const char *kind : {"edited_orders", "cancelled_orders", "redrafted_orders", "reassigned_orders",
                           "reparented_contacts", "backdated_orders", "payments", "solved_tickets", "answers",
                           "closed_subscriptions", "new_customers"})
    CHECK(day.counts.count(kind) == 1);

  for (const auto &[source, cols] : captured_sources()) {
    INFO(backend << " " << source);
    const auto touched = day.touched.count(source) ? day.touched.at(source) : std::set<std::string>{};
    CHECK(!touched.empty());
    CHECK(changes_since(db, backend, source, day.stamp).documents == touched);
    CHECK(changes_since(db, backend, source, "2025-07-01 03:00:01").rows == 0);
    const std::set<std::string> now = documents(db, backend, source);
    if (day.deleted.count(source))
      for (const auto &gone : day.deleted.at(source)) CHECK(now.count(gone) == 0);
  }
  CHECK(day.deleted.at("order_lines").size() >= 1);
  CHECK(day.deleted.at("invoices").size() >= 1);
  CHECK(day.deleted.at("tickets").size() >= 1);
  check_whole(db, backend);
}

}  // namespace

TEST_CASE("demo profile change capture: SQLite", "[capture]") {
  const fs::path file = fs::temp_directory_path() / ("cskpi_test_capture_" + std::to_string(getpid()) + ".sqlite");
  fs::remove(file);
  {
    soci::session db(soci::sqlite3, "db=" + file.string());
    check_profile_capture(db, "sqlite3");
  }
  fs::remove(file);
}

TEST_CASE("demo profile change capture: PostgreSQL", "[capture][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_test_capture");
  soci::session db(soci::postgresql, *conn);
  check_profile_capture(db, "postgresql");
}
