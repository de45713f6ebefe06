// Profiles: built-in (embedded at build time) and directory profiles with
// dialect overrides, and the errors that protect against typos.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/errors.hpp"
#include "source/canonical.hpp"
#include "source/profile.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;
namespace fs = std::filesystem;

namespace {

using cskpi::test::TempDir;

using cskpi::test::contains;

std::string error_of(const std::string &name, const std::string &dialect = "sqlite3") {
  try {
    load_profile(name, dialect);
  } catch (const ProfileError &e) {
    return e.what();
  }
  return "(no ProfileError)";
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
