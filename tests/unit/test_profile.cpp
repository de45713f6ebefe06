// Profiles: built-in (embedded at build time) and directory profiles with
// dialect overrides, and the errors that protect against typos.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/errors.hpp"
#include "source/backend.hpp"
#include "source/canonical.hpp"
#include "source/profile.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;
namespace fs = std::filesystem;

namespace {

using cskpi::test::TempDir;

using cskpi::test::contains;

std::string error_of(const std::string &name, const std::string &dialect = "sqlite3") {
  return test::message_of<ProfileError>([&] { load_profile(name, dialect); });
}

}  // namespace

TEST_CASE("the canonical profile is built in and selects every canonical column of all seven sources") {
  auto names = builtin_profile_names();
  REQUIRE(std::find(names.begin(), names.end(), "canonical") != names.end());
  for (const char *dialect : {"sqlite3", "postgresql"}) {
    Profile p = load_profile("canonical", dialect);
    CHECK(p.name == "canonical");
    REQUIRE(p.sql.size() == 7);
    for (const auto &src : canonical_sources()) {
      INFO(src.name);
      REQUIRE(p.sql.count(std::string(src.name)) == 1);
      const std::string &sql = p.sql.at(std::string(src.name));
      // The SELECT follows the header comment: exact columns, in spec order.
      std::string select = sql.substr(sql.find("SELECT"));
      std::string expected_end = " FROM " + std::string(src.name);
      CHECK(select.size() > expected_end.size());
      CHECK(select.substr(select.size() - expected_end.size()) == expected_end);
      for (const auto &col : src.columns) CHECK(contains(select, std::string(col.name)));
      CHECK(sql.rfind("--", 0) == 0);  // starts with its header comment
      CHECK(sql.back() != ';');
    }
  }
}

TEST_CASE("every built-in profile loads for both dialects") {
  // Catches a typo in any embedded file name at test time.
  for (const auto &name : builtin_profile_names())
    for (const char *dialect : {"sqlite3", "postgresql"}) {
      INFO(name << " / " << dialect);
      CHECK_NOTHROW(load_profile(name, dialect));
    }
}

TEST_CASE("an unknown profile name is an error listing the built-in ones") {
  std::string msg = error_of("no_such_profile_xyz");
  CHECK(contains(msg, "no_such_profile_xyz"));
  CHECK(contains(msg, "canonical"));
  CHECK_THROWS_AS(load_profile("canonical", "oracle"), ConfigError);
}

TEST_CASE("a profile directory: dialect files override generic ones, trailing semicolons go") {
  TempDir dir;
  dir.write("customers.sql", "-- generic\nSELECT 1 AS customer_id;\n\n");
  dir.write("order_lines.sql", "SELECT 'generic' AS x ; ;\n");
  dir.write("invoices.sql", "SELECT 'generic invoices'");
  dir.write("sqlite3/order_lines.sql", "SELECT 'sqlite' AS x;");
  dir.write("postgresql/customers.sql", "SELECT 'pg' AS customer_id");
  dir.write("postgresql/tickets.sql", "SELECT 'pg tickets'");
  dir.write("README.md", "not SQL: ignored");
  dir.write(".#customers.sql", "editor lock file: ignored");
  dir.write("notes/todo.txt", "no .sql inside: ignored");

  Profile lite = load_profile(dir.path.string(), "sqlite3");
  CHECK(lite.name == dir.path.string());
  CHECK(lite.sql.at("customers") == "-- generic\nSELECT 1 AS customer_id");
  CHECK(lite.sql.at("order_lines") == "SELECT 'sqlite' AS x");
  CHECK(lite.sql.at("invoices") == "SELECT 'generic invoices'");
  CHECK(lite.sql.count("tickets") == 0);  // only the postgresql dialect has it
  CHECK(lite.sql.size() == 3);

  Profile pg = load_profile(dir.path.string(), "postgresql");
  CHECK(pg.sql.at("customers") == "SELECT 'pg' AS customer_id");
  CHECK(pg.sql.at("order_lines") == "SELECT 'generic' AS x");
  CHECK(pg.sql.at("tickets") == "SELECT 'pg tickets'");
  CHECK(pg.sql.size() == 4);
}

TEST_CASE("profile directory errors") {
  TempDir dir;
  dir.write("customers.sql", "SELECT 1");

  SECTION("a mandatory source is missing") {
    std::string msg = error_of(dir.path.string());
    CHECK(contains(msg, "order_lines"));
    CHECK(contains(msg, "mandatory"));
  }
  SECTION("a file not named after a source") {
    dir.write("order_lines.sql", "SELECT 1");
    dir.write("ticket.sql", "SELECT 1");
    std::string msg = error_of(dir.path.string());
    CHECK(contains(msg, "ticket.sql"));
    CHECK(contains(msg, "tickets"));  // the list of valid names
  }
  SECTION("a typo in a dialect override of the other dialect is caught too") {
    dir.write("order_lines.sql", "SELECT 1");
    dir.write("postgresql/invoice.sql", "SELECT 1");
    CHECK(contains(error_of(dir.path.string(), "sqlite3"), "invoice.sql"));
  }
  SECTION("a directory that is no dialect") {
    dir.write("order_lines.sql", "SELECT 1");
    dir.write("postgres/customers.sql", "SELECT 1");
    CHECK(contains(error_of(dir.path.string()), "postgres"));
  }
  SECTION("an empty file") {
    dir.write("order_lines.sql", " ;\n");
    CHECK(contains(error_of(dir.path.string()), "order_lines.sql"));
  }
}

TEST_CASE("change capture files: <source>.changes.sql and <source>.documents.sql, with dialect overrides") {
  TempDir dir;
  dir.write("customers.sql", "SELECT 1 AS customer_id");
  dir.write("order_lines.sql", "SELECT 1 AS order_id");
  dir.write("order_lines.changes.sql", "SELECT 'generic changes' WHERE x >= :since;\n");
  dir.write("order_lines.documents.sql", "SELECT 'generic documents'");
  dir.write("postgresql/order_lines.changes.sql", "SELECT 'pg changes'");
  for (const char *dialect : {"sqlite3", "postgresql"}) {
    INFO(dialect);
    Profile p = load_profile(dir.path.string(), dialect);
    // The SELECT files and the change-capture files stay apart.
    CHECK(p.sql.size() == 2);
    CHECK(p.sql.at("order_lines") == "SELECT 1 AS order_id");
    REQUIRE(p.changes.size() == 1);
    REQUIRE(p.documents.size() == 1);
    CHECK(p.changes.at("order_lines") == (std::string(dialect) == "postgresql" ? "SELECT 'pg changes'"
                                                                                : "SELECT 'generic changes' WHERE x >= :since"));
    CHECK(p.documents.at("order_lines") == "SELECT 'generic documents'");
  }
  // The built-in profiles without those files declare none.
  CHECK(load_profile("canonical", "sqlite3").changes.empty());
}

TEST_CASE("change capture file errors") {
  auto error_in = [](const std::map<std::string, std::string> &files) {
    TempDir dir;
    dir.write("customers.sql", "SELECT 1 AS customer_id");
    dir.write("order_lines.sql", "SELECT 1 AS order_id");
    for (const auto &[file, text] : files) dir.write(file, text);
    try {
      load_profile(dir.path.string(), "sqlite3");
    } catch (const ProfileError &e) {
      return std::string(e.what());
    }
    return std::string("(no ProfileError)");
  };
  // A misspelt suffix is no source: an error, never silently no capture.
  CHECK(contains(error_in({{"order_lines.change.sql", "SELECT 1"}}), "is not named after a source"));
  CHECK(contains(error_in({{"order_lines.changes.sql", "SELECT 1"}}),
                 "order_lines.changes.sql without order_lines.documents.sql"));
  CHECK(contains(error_in({{"order_lines.documents.sql", "SELECT 1"}}),
                 "order_lines.documents.sql without order_lines.changes.sql"));
  CHECK(contains(error_in({{"invoices.changes.sql", "SELECT 1"}, {"invoices.documents.sql", "SELECT 1"}}),
                 "invoices.changes.sql without invoices.sql"));
  // retention_costs has no document key (canonical.cpp): nothing to replace.
  CHECK(contains(error_in({{"retention_costs.sql", "SELECT 1"}, {"retention_costs.changes.sql", "SELECT 1"}}),
                 "source 'retention_costs' has no document key"));
}

TEST_CASE("every source but retention_costs declares its document key, its first column") {
  for (const auto &src : canonical_sources()) {
    INFO(src.name);
    if (src.name == "retention_costs") {
      CHECK(src.document_key.empty());
      continue;
    }
    REQUIRE_FALSE(src.document_key.empty());
    CHECK(src.columns.front().name == src.document_key);
    CHECK(src.columns.front().kind == ColumnKind::text);
  }
}

TEST_CASE("PostgreSQL's :since is $1, casts and longer names are left alone") {
  using source_detail::numbered_since;
  CHECK(numbered_since("SELECT 1 WHERE a >= :since") == "SELECT 1 WHERE a >= $1");
  CHECK(numbered_since("WHERE a >= :since OR b >= :since)") == "WHERE a >= $1 OR b >= $1)");
  CHECK(numbered_since("WHERE x::since_type = 1") == "WHERE x::since_type = 1");
  CHECK(numbered_since("WHERE a >= :sincex") == "WHERE a >= :sincex");
  CHECK(numbered_since("WHERE a >= CAST(:since AS timestamp)") == "WHERE a >= CAST($1 AS timestamp)");
  CHECK(numbered_since("no parameter") == "no parameter");
}
