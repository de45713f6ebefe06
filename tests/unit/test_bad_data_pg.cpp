// The bad-data suite on PostgreSQL (docs/kpis.md §1.6, §11): the story of
// tests/support/bad_data.hpp in a SQL_ASCII database (which, like many an old
// ERP's, stores any byte: here a Latin-1 'é'). A cast the server cannot do
// ('abc'::float8, a numeric 1e400 as float8, '2024-02-30'::date) used to end
// the whole read with CSKPI_PROFILE; here each costs one counted row.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/bad_data.hpp"
#include "support/pg.hpp"
#include "support/profile_harness.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;

TEST_CASE("bad data on PostgreSQL: every bad row counted under its reason, no read aborted, outputs valid", "[pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_bad_data");
  // The same database again in SQL_ASCII (pg_fresh_database made it UTF8).
  auto ascii = test::pg_fresh_database("cskpi_bad_data", "SQL_ASCII");
  REQUIRE(ascii);
  Settings s = test::profile_settings("postgresql", "canonical");
  auto db = test::seeded_session(s, *ascii, test::bad_data_story(test::BadDataDb::postgresql));
  test::check_bad_data_story(*db, "postgresql", test::BadDataDb::postgresql);
}

TEST_CASE("a PostgreSQL SQL error never echoes a long literal", "[pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_bad_data_message");
  Settings s = test::profile_settings("postgresql", "canonical");
  auto db = test::open_source_session(s, *conn);
  // The profile's own cast of a 400-digit literal fails on the server,
  // which quotes it back in full.
  test::TempDir dir;
  const std::string digits(400, '7');
  dir.write("customers.sql", "SELECT 'c1' AS customer_id, 'n' AS name, NULL::date AS created_on, NULL AS segment");
  dir.write("order_lines.sql", "SELECT 'o1' AS order_id, 'c1' AS customer_id, DATE '2024-01-10' AS order_date, "
                               "NULL AS product_id, NULL AS category, '" + digits + "x'::float8 AS amount");
  Profile p = load_profile(dir.path.string(), "postgresql");
  try {
    load_dataset(*db, "postgresql", p, s, parse_day("2024-03-31"));
    FAIL("the profile's SQL should fail");
  } catch (const ProfileError &e) {
    const std::string m = e.what();
    CHECK(m.find(std::string(40, '7') + "\u2026") != std::string::npos);
    CHECK(m.find(std::string(41, '7')) == std::string::npos);
  }
}
