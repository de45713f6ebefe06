// Civil-date helpers of plugin/core/calendar used by the demo generator:
// expectations computed by hand from the Gregorian calendar.
#include <catch2/catch.hpp>

#include "core/calendar.hpp"

using namespace cskpi;

TEST_CASE("civil_date splits a day into year, month and day") {
  const CivilDate epoch = civil_date(0);
  CHECK(epoch.year == 1970);
  CHECK(epoch.month == 1u);
  CHECK(epoch.day == 1u);
  const CivilDate before = civil_date(-1);  // the day before the epoch
  CHECK(before.year == 1969);
  CHECK(before.month == 12u);
  CHECK(before.day == 31u);
  // 2024-02-29: 54 years after 1970 with 13 leap days (1972 .. 2020) = 19723,
  // plus January's 31 and 28 more days of February.
  const CivilDate leap = civil_date(19723 + 31 + 28);
  CHECK(leap.year == 2024);
  CHECK(leap.month == 2u);
  CHECK(leap.day == 29u);
  CHECK(make_day(2024, 2, 29) == 19723 + 31 + 28);
}

TEST_CASE("add_months keeps the day of the month, clamped to the month's end") {
  CHECK(add_months(parse_day("2024-01-15"), 1) == parse_day("2024-02-15"));
  CHECK(add_months(parse_day("2024-01-31"), 1) == parse_day("2024-02-29"));  // leap year
  CHECK(add_months(parse_day("2023-01-31"), 1) == parse_day("2023-02-28"));
  CHECK(add_months(parse_day("2023-03-31"), 1) == parse_day("2023-04-30"));
  CHECK(add_months(parse_day("2023-11-30"), 3) == parse_day("2024-02-29"));  // across the year
  CHECK(add_months(parse_day("2024-02-29"), 12) == parse_day("2025-02-28"));
  CHECK(add_months(parse_day("2023-12-31"), 12) == parse_day("2024-12-31"));
  CHECK(add_months(parse_day("2024-03-31"), -1) == parse_day("2024-02-29"));
  CHECK(add_months(parse_day("2024-05-10"), 0) == parse_day("2024-05-10"));
}
