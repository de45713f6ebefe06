// The table registry (plugin/engine/table_registry.hpp) against what restates
// it outside the code: the snapshot migrations (on SQLite and PostgreSQL) and
// the table index of docs/kpis.md §12.2. Also the unknown-table error.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/errors.hpp"
#include "engine/table_registry.hpp"
#include "nightly/migrations.hpp"
#include "nightly/target.hpp"
#include "support/pg.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;

namespace {

// A column as a database reports it: (type, nullable).
using DbColumns = std::map<std::string, std::pair<std::string, bool>>;

const char *sqlite_type(ColumnType t) {
  switch (t) {
    case ColumnType::text:
    case ColumnType::date: return "TEXT";  // ISO dates (sql/migrations/sqlite3 header)
    case ColumnType::int64:
    case ColumnType::boolean: return "INTEGER";
    case ColumnType::real: return "REAL";
  }
  return "?";
}

const char *pg_type(ColumnType t) {
  switch (t) {
    case ColumnType::text: return "text";
    case ColumnType::date: return "date";
    case ColumnType::int64: return "bigint";
    case ColumnType::boolean: return "boolean";
    case ColumnType::real: return "double precision";
  }
  return "?";
}

// What the migration must declare for table t: its columns, granularity when
// it is computed per granularity and does not carry one, as_of and run_id
// (docs/nightly.md, writer.hpp).
template <class TypeName>
DbColumns expected_columns(const TableDecl &t, TypeName type_name) {
  DbColumns out;
  for (const ColumnSpec &c : t.schema->columns) out[c.name] = {type_name(c.type), c.nullable};
  if (t.scope == TableScope::per_granularity) out.emplace("granularity", std::pair{type_name(ColumnType::text), false});
  out["as_of"] = {type_name(ColumnType::date), false};
  out["run_id"] = {type_name(ColumnType::int64), false};
  return out;
}

std::vector<const TableDecl *> snapshotted() {
  std::vector<const TableDecl *> out;
  for (const TableDecl &t : table_registry())
    if (t.snapshot) out.push_back(&t);
  return out;
}

// The cskpi_* tables the migrations create that hold snapshot rows (not the
// bookkeeping tables).
std::set<std::string> snapshot_tables_in(soci::session &s, const std::string &list_sql) {
  std::vector<std::string> names(100);
  s << list_sql, soci::into(names);
  std::set<std::string> out(names.begin(), names.end());
  out.erase("cskpi_run");
  out.erase("cskpi_schema_version");
  return out;
}

std::set<std::string> registered_targets() {
  std::set<std::string> out;
  for (const TableDecl *t : snapshotted()) out.insert(t->snapshot);
  return out;
}

DbColumns sqlite_columns(soci::session &s, const std::string &table) {
  DbColumns out;
  std::vector<std::string> names(200), types(200), not_null(200);
  s << "SELECT name, type, \"notnull\" FROM pragma_table_info(:t)", soci::use(table), soci::into(names),
      soci::into(types), soci::into(not_null);
  for (std::size_t i = 0; i < names.size(); ++i) out[names[i]] = {types[i], not_null[i] == "0"};
  return out;
}

DbColumns pg_columns(soci::session &s, const std::string &table) {
  DbColumns out;
  std::vector<std::string> names(200), types(200), nullable(200);
  s << "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
       "WHERE table_schema = current_schema() AND table_name = :t",
      soci::use(table), soci::into(names), soci::into(types), soci::into(nullable);
  for (std::size_t i = 0; i < names.size(); ++i) out[names[i]] = {types[i], nullable[i] == "YES"};
  return out;
}

}  // namespace

TEST_CASE("registry: names are unique and kpis comes first", "[registry]") {
  auto tables = table_registry();
  REQUIRE(!tables.empty());
  CHECK(tables.front().name() == "kpis");
  std::set<std::string_view> names, targets;
  for (const TableDecl &t : tables) {
    CHECK(names.insert(t.name()).second);
    if (t.snapshot) CHECK(targets.insert(t.snapshot).second);
    std::set<std::string_view> columns;
    for (const ColumnSpec &c : t.schema->columns) CHECK(columns.insert(c.name).second);
    CHECK(Table(*t.schema).column_count() == t.schema->columns.size());
  }
}

TEST_CASE("registry: an unknown table is NotFoundError listing every table", "[registry]") {
  try {
    require_table("cohorts");
    FAIL("no error");
  } catch (const NotFoundError &e) {
    const std::string message = e.what();
    CHECK(test::contains(message, "unknown table 'cohorts'"));
    for (const TableDecl &t : table_registry()) CHECK(test::contains(message, std::string(t.name())));
  }
  CHECK(find_table("cohorts") == nullptr);
  CHECK(&require_table("health") == find_table("health"));
}

TEST_CASE("registry: every snapshot table's columns equal the SQLite migration's", "[registry][nightly]") {
  test::TempDir dir;
  const std::string path = (dir.path / "target.sqlite").string();
  {
    Target db(SourceSettings{"sqlite3", "db=" + path, "canonical"});
    apply_migrations(db, [](int, int) {});
  }
  soci::session s("sqlite3", "db=" + path);
  CHECK(snapshot_tables_in(s, "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'cskpi%'") ==
        registered_targets());
  for (const TableDecl *t : snapshotted()) {
    INFO(t->snapshot);
    CHECK(sqlite_columns(s, t->snapshot) == expected_columns(*t, sqlite_type));
  }
}

TEST_CASE("registry: every snapshot table's columns equal the PostgreSQL migration's", "[registry][nightly][pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_test_registry");
  {
    Target db(SourceSettings{"postgresql", *conn, "canonical"});
    apply_migrations(db, [](int, int) {});
  }
  soci::session s("postgresql", *conn);
  CHECK(snapshot_tables_in(s, "SELECT table_name FROM information_schema.tables "
                              "WHERE table_schema = current_schema() AND table_name LIKE 'cskpi%'") ==
        registered_targets());
  for (const TableDecl *t : snapshotted()) {
    INFO(t->snapshot);
    CHECK(pg_columns(s, t->snapshot) == expected_columns(*t, pg_type));
  }
}

TEST_CASE("registry: docs/kpis.md §12.2 lists every table with its section and columns", "[registry][docs]") {
  std::ifstream in(std::string(CSKPI_SQL_DIR) + "/../docs/kpis.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const auto begin = doc.find("### 12.2 Tables");
  REQUIRE(begin != std::string::npos);
  const auto end = doc.find("\n#", begin + 1);
  std::istringstream section(doc.substr(begin, end - begin));
  // | `name` (default) | §9.1 | col, col, ... |
  const std::regex row(R"(^\| `([a-z_]+)`[^|]*\| ([^|]+) \| ([^|]+) \|$)");
  std::vector<std::string> listed;
  for (std::string line; std::getline(section, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, row)) continue;
    listed.push_back(m[1]);
    const TableDecl *t = find_table(m[1].str());
    INFO(m[1].str());
    REQUIRE(t != nullptr);
    CHECK(m[2].str().find(t->doc) != std::string::npos);
    std::string columns;
    for (const ColumnSpec &c : t->schema->columns) columns += (columns.empty() ? "" : ", ") + std::string(c.name);
    CHECK(m[3].str() == columns);
  }
  std::vector<std::string> registered;
  for (const TableDecl &t : table_registry()) registered.emplace_back(t.name());
  CHECK(listed == registered);
}
