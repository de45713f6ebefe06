// The bad-data suite on SQLite (docs/kpis.md §1.6, §11): the story of
// tests/support/bad_data.hpp read through the canonical profile. SQLite's
// CAST and date functions coerce ('abc' -> 0, '12abc' -> 12, '2024-02-30' ->
// 2024-03-01); here each of them must be one bad_value row instead.
#include <catch2/catch.hpp>

#include "source/database.hpp"
#include "support/bad_data.hpp"
#include "support/profile_harness.hpp"

using namespace cskpi;

TEST_CASE("bad data on SQLite: every bad row counted under its reason, no KPI coerced, outputs valid") {
  Settings s = test::profile_settings("sqlite3", "canonical");
  auto db = test::seeded_session(s, ":memory:", test::bad_data_story(test::BadDataDb::sqlite3));
  test::check_bad_data_story(*db, "sqlite3", test::BadDataDb::sqlite3);
}

TEST_CASE("bad data on SQLite: numbers stored as numbers and Tryton's BLOB decimals still read") {
  // Columns declared REAL / INTEGER hold numbers; a BLOB of decimal text is
  // how Tryton stores Numeric. Only the text that is no number is bad.
  Settings s = test::profile_settings("sqlite3", "canonical");
  auto db = test::seeded_session(
      s, ":memory:",
      std::vector<std::string>{
          "CREATE TABLE customers (customer_id TEXT, name TEXT, created_on TEXT, segment TEXT)",
          "CREATE TABLE order_lines (order_id TEXT, customer_id TEXT, order_date TEXT, product_id TEXT, "
          "category TEXT, amount)",
          "INSERT INTO customers VALUES ('c1', 'Ann', '2024-01-05', NULL)",
          "INSERT INTO order_lines VALUES ('o1', 'c1', '2024-01-10', NULL, NULL, 10), "
          "('o2', 'c1', '2024-01-10', NULL, NULL, 2.5), ('o3', 'c1', '2024-01-10', NULL, NULL, CAST('7.25' AS BLOB)), "
          "('o4', 'c1', '2024-01-10', NULL, NULL, CAST('7.25x' AS BLOB)), "
          "('o5', 'c1', '2024-01-10 08:00:00', NULL, NULL, '-1.5e1'), ('o6', 'c1', '2460000.5', NULL, NULL, 1)",
      });
  Dataset d = test::load_with_profile(*db, s, parse_day("2024-03-31"));
  // o4's text is no number; o6's date is a Julian day number, no calendar date.
  CHECK(d.quality.count("order_lines", "bad_value") == 2);
  double sum = 0;
  for (double a : d.order_lines.amount) sum += a;
  CHECK(sum == Approx(10 + 2.5 + 7.25 - 15));
}
