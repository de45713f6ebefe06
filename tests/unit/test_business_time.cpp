// Business hours (docs/kpis.md §6): weekly schedule, holidays, the BR set, DST.
// Every expectation is worked out by hand in the comment beside it.
#include <catch2/catch.hpp>

#include <random>

#include "core/business_time.hpp"
#include "core/errors.hpp"
#include "core/timezone.hpp"
#include "support/dataset_builder.hpp"

using namespace cskpi;
using cskpi::test::day;
using cskpi::test::utc;

namespace {

constexpr Seconds kHour = 3600;

WorkCalendar calendar_with(std::vector<WorkInterval> weekday_intervals) {
  WorkCalendar c;
  for (int d = 1; d <= 5; ++d) c.week[d] = weekday_intervals;
  return c;
}

WorkCalendar default_calendar() { return calendar_with({{8 * 60, 18 * 60}}); }

// Hours between two UTC times, through both the plain clock and one with a
// precomputed table: the two paths must agree.
double hours(const WorkCalendar &c, const std::string &tz, const std::string &from, const std::string &to) {
  BusinessClock plain(c, tz);
  BusinessClock table(c, tz, day("2018-01-01"), day("2025-12-31"));
  double a = plain.business_hours(utc(from), utc(to));
  double b = table.business_hours(utc(from), utc(to));
  REQUIRE(a == b);
  return a;
}

}  // namespace

TEST_CASE("a ticket spanning a weekend counts Friday and Monday only", "[business]") {
  // 2024-03-01 is a Friday. Fri 16:00-18:00 = 2 h, Sat/Sun 0, Mon 08:00-10:00 = 2 h.
  CHECK(hours(default_calendar(), "UTC", "2024-03-01 16:00", "2024-03-04 10:00") == 4.0);
  // Inside one working day: 09:15-11:45 = 2.5 h.
  CHECK(hours(default_calendar(), "UTC", "2024-03-04 09:15", "2024-03-04 11:45") == 2.5);
  // Entirely outside working time (Saturday): 0.
  CHECK(hours(default_calendar(), "UTC", "2024-03-02 09:00", "2024-03-02 17:00") == 0.0);
  // A whole working week Mon 00:00 -> next Mon 00:00: 5 x 10 h = 50 h.
  CHECK(hours(default_calendar(), "UTC", "2024-03-04 00:00", "2024-03-11 00:00") == 50.0);
  // Reversed or empty spans are 0.
  CHECK(hours(default_calendar(), "UTC", "2024-03-04 12:00", "2024-03-04 10:00") == 0.0);
  CHECK(hours(default_calendar(), "UTC", "2024-03-04 12:00", "2024-03-04 12:00") == 0.0);
}

TEST_CASE("an empty week falls back to Monday-Friday 08:00-18:00", "[business]") {
  WorkCalendar empty;  // nothing configured
  // Same span as above: 2 h Friday + 2 h Monday.
  CHECK(hours(empty, "UTC", "2024-03-01 16:00", "2024-03-04 10:00") == 4.0);
}

TEST_CASE("two working intervals per day skip the lunch break", "[business]") {
  auto c = calendar_with({{8 * 60, 12 * 60}, {13 * 60, 18 * 60}});
  // Mon 2024-03-04 11:00-14:30: 11-12 = 1 h, 12-13 lunch, 13-14:30 = 1.5 h -> 2.5 h.
  CHECK(hours(c, "UTC", "2024-03-04 11:00", "2024-03-04 14:30") == 2.5);
  // Mon 17:00 -> Tue 12:30: Mon 17-18 = 1 h, Tue 08-12 = 4 h, 12:30 is lunch -> 5 h.
  CHECK(hours(c, "UTC", "2024-03-04 17:00", "2024-03-05 12:30") == 5.0);
  // A whole day is 4 + 5 = 9 h.
  CHECK(hours(c, "UTC", "2024-03-04 00:00", "2024-03-05 00:00") == 9.0);
}

TEST_CASE("overlapping configured intervals never count a minute twice", "[business]") {
  auto c = calendar_with({{8 * 60, 12 * 60}, {10 * 60, 14 * 60}});
  // Merged to 08:00-14:00: a whole day is 6 h, not 4 + 4.
  CHECK(hours(c, "UTC", "2024-03-04 00:00", "2024-03-05 00:00") == 6.0);
}

TEST_CASE("a holiday has no working time", "[business]") {
  auto c = default_calendar();
  c.holidays = {day("2024-03-05")};  // a Tuesday
  // Mon 17:00 -> Wed 09:00: Mon 17-18 = 1 h, Tue holiday 0, Wed 08-09 = 1 h -> 2 h
  // (12 h without the holiday: 1 + 10 + 1).
  CHECK(hours(c, "UTC", "2024-03-04 17:00", "2024-03-06 09:00") == 2.0);
  CHECK(hours(default_calendar(), "UTC", "2024-03-04 17:00", "2024-03-06 09:00") == 12.0);
  // A span inside the holiday: 0.
  CHECK(hours(c, "UTC", "2024-03-05 09:00", "2024-03-05 11:00") == 0.0);
  BusinessClock clock(c, "UTC");
  CHECK(clock.is_holiday(day("2024-03-05")));
  CHECK_FALSE(clock.is_holiday(day("2024-03-04")));
}

TEST_CASE("Easter Sunday by the anonymous Gregorian algorithm", "[business][holidays]") {
  CHECK(easter_sunday(2024) == day("2024-03-31"));
  CHECK(easter_sunday(2023) == day("2023-04-09"));
  CHECK(easter_sunday(2025) == day("2025-04-20"));
  CHECK(easter_sunday(2000) == day("2000-04-23"));
  CHECK(easter_sunday(1818) == day("1818-03-22"));  // the earliest possible date
  CHECK(easter_sunday(2038) == day("2038-04-25"));  // the latest possible date
}

TEST_CASE("the Brazilian national holidays of 2024 and 2023", "[business][holidays]") {
  // 2024: Easter 03-31 -> Carnival Mon/Tue 02-12/02-13 (-48/-47), Good Friday
  // 03-29 (-2), Corpus Christi 05-30 (+60); Nov 20 national from 2024 on.
  std::vector<Day> want2024;
  for (const char *d : {"2024-01-01", "2024-02-12", "2024-02-13", "2024-03-29", "2024-04-21", "2024-05-01",
                        "2024-05-30", "2024-09-07", "2024-10-12", "2024-11-02", "2024-11-15", "2024-11-20",
                        "2024-12-25"})
    want2024.push_back(day(d));
  CHECK(brazil_holidays(2024) == want2024);

  // 2023: Easter 04-09 -> Carnival 02-20/02-21, Good Friday 04-07, Corpus
  // Christi 06-08; no Nov 20 yet.
  std::vector<Day> want2023;
  for (const char *d : {"2023-01-01", "2023-02-20", "2023-02-21", "2023-04-07", "2023-04-21", "2023-05-01",
                        "2023-06-08", "2023-09-07", "2023-10-12", "2023-11-02", "2023-11-15", "2023-12-25"})
    want2023.push_back(day(d));
  CHECK(brazil_holidays(2023) == want2023);

  WorkCalendar c = default_calendar();
  c.brazil_holidays = true;
  BusinessClock clock(c, "America/Sao_Paulo");
  CHECK(clock.is_holiday(day("2024-02-13")));
  CHECK(clock.is_holiday(day("2024-11-20")));
  CHECK_FALSE(clock.is_holiday(day("2023-11-20")));
  CHECK_FALSE(clock.is_holiday(day("2024-02-14")));  // Ash Wednesday is a working day
}

TEST_CASE("a Carnival-week ticket in America/Sao_Paulo", "[business][holidays]") {
  WorkCalendar c = default_calendar();
  c.brazil_holidays = true;
  // Sao Paulo is UTC-3 (no DST since 2019). Opened Fri 2024-02-09 17:00 local
  // (20:00 UTC), resolved Thu 2024-02-15 10:00 local (13:00 UTC).
  // Fri 17-18 = 1 h; Sat, Sun 0; Mon 12 and Tue 13 Carnival 0; Wed 14 08-18 = 10 h;
  // Thu 08-10 = 2 h -> 13 h.
  CHECK(hours(c, "America/Sao_Paulo", "2024-02-09 20:00", "2024-02-15 13:00") == 13.0);
  // Without the BR set Mon and Tue count: 13 + 10 + 10 = 33 h.
  CHECK(hours(default_calendar(), "America/Sao_Paulo", "2024-02-09 20:00", "2024-02-15 13:00") == 33.0);
}

TEST_CASE("working hours across the New York spring DST change", "[business][dst]") {
  // DST starts Sun 2024-03-10 02:00 EST -> 03:00 EDT.
  // Fri 2024-03-08 17:00 EST = 22:00 UTC; Mon 2024-03-11 09:00 EDT = 13:00 UTC.
  Seconds from = utc("2024-03-08 22:00"), to = utc("2024-03-11 13:00");
  // Calendar duration: Fri 22:00 -> Mon 13:00 UTC = 48 h + 15 h = 63 h, not the 64 h the wall clocks suggest.
  CHECK(to - from == 63 * kHour);
  // Business: Fri 17-18 = 1 h + Mon 08-09 = 1 h = 2 h.
  CHECK(hours(default_calendar(), "America/New_York", "2024-03-08 22:00", "2024-03-11 13:00") == 2.0);

  // A Sunday schedule of 00:00-24:00: the DST day has 23 real hours.
  // Sun 00:00 EST = Sun 05:00 UTC; Mon 00:00 EDT = Mon 04:00 UTC: 23 h. The
  // span Sat 12:00 EST (17:00 UTC) -> Mon 12:00 EDT (16:00 UTC) covers the whole Sunday.
  WorkCalendar sunday;
  sunday.week[7] = {{0, 24 * 60}};
  CHECK(hours(sunday, "America/New_York", "2024-03-09 17:00", "2024-03-11 16:00") == 23.0);
  // The week before: a plain 24 h Sunday.
  CHECK(hours(sunday, "America/New_York", "2024-03-02 17:00", "2024-03-04 17:00") == 24.0);

  // An interval over the skipped hour: Sun 01:00-04:00 local is 01:00 EST
  // (06:00 UTC) -> 04:00 EDT (08:00 UTC) = 2 h.
  WorkCalendar night;
  night.week[7] = {{60, 4 * 60}};
  CHECK(hours(night, "America/New_York", "2024-03-09 17:00", "2024-03-11 16:00") == 2.0);
  // A span ending inside it: 06:00 -> 07:30 UTC (01:00 EST -> 03:30 EDT) = 1.5 h.
  CHECK(hours(night, "America/New_York", "2024-03-10 06:00", "2024-03-10 07:30") == 1.5);
}

TEST_CASE("working hours across the New York autumn DST change", "[business][dst]") {
  // DST ends Sun 2024-11-03 02:00 EDT -> 01:00 EST: the Sunday has 25 h.
  // Sun 00:00 EDT = 04:00 UTC; Mon 00:00 EST = 05:00 UTC next day: 25 h.
  WorkCalendar sunday;
  sunday.week[7] = {{0, 24 * 60}};
  CHECK(hours(sunday, "America/New_York", "2024-11-02 16:00", "2024-11-04 17:00") == 25.0);
  // Sun 01:00-04:00 local: the first 01:00 (EDT, 05:00 UTC) -> 04:00 EST
  // (09:00 UTC) = 4 h, the repeated hour included.
  WorkCalendar night;
  night.week[7] = {{60, 4 * 60}};
  CHECK(hours(night, "America/New_York", "2024-11-02 16:00", "2024-11-04 17:00") == 4.0);
  // Weekday hours after the change are plain: Fri 2024-11-01 17:00 EDT (21:00
  // UTC) -> Mon 11-04 09:00 EST (14:00 UTC): 1 h + 1 h = 2 h; calendar 65 h.
  CHECK(utc("2024-11-04 14:00") - utc("2024-11-01 21:00") == 65 * kHour);
  CHECK(hours(default_calendar(), "America/New_York", "2024-11-01 21:00", "2024-11-04 14:00") == 2.0);
}

TEST_CASE("DST changes at midnight (Sao Paulo until 2019)", "[business][dst]") {
  WorkCalendar c;
  c.week[6] = {{20 * 60, 24 * 60}};  // Saturday 20:00-24:00
  c.week[7] = {{0, 4 * 60}};         // Sunday 00:00-04:00
  // DST starts Sun 2018-11-04 00:00 (UTC-3) -> 01:00 (UTC-2): local 00:00 does
  // not exist and maps to the jump, 03:00 UTC.
  // Sat 20:00 (23:00 UTC) -> Sun 00:00 (03:00 UTC) = 4 h;
  // Sun 00:00 (03:00 UTC) -> 04:00 UTC-2 (06:00 UTC) = 3 h. Total 7 h.
  CHECK(hours(c, "America/Sao_Paulo", "2018-11-03 15:00", "2018-11-04 15:00") == 7.0);
  // DST ends Sun 2019-02-17 00:00 (UTC-2) -> Sat 23:00 (UTC-3): Saturday's
  // 23:00-24:00 happens twice. Sat 20:00 (22:00 UTC) -> Sun 00:00 (03:00 UTC)
  // = 5 h; Sun 00:00 (03:00 UTC) -> 04:00 (07:00 UTC) = 4 h. Total 9 h.
  CHECK(hours(c, "America/Sao_Paulo", "2019-02-16 14:00", "2019-02-17 15:00") == 9.0);
  // A span starting in the repeated hour's second pass (Sat 23:30 UTC-3 =
  // 02:30 UTC) -> Sun 01:00 (04:00 UTC): 1.5 h.
  CHECK(hours(c, "America/Sao_Paulo", "2019-02-17 02:30", "2019-02-17 04:00") == 1.5);
}

TEST_CASE("long spans: the table and the day-by-day path agree", "[business]") {
  WorkCalendar c = calendar_with({{8 * 60, 12 * 60}, {13 * 60, 18 * 60}});
  c.brazil_holidays = true;
  // 2024 in Sao Paulo, Jan 1 00:00 local -> Jan 1 2025 00:00 local:
  // 2024 has 262 weekdays (366 days = 52 weeks + Mon Jan 1 + Tue Dec 31);
  // BR holidays on weekdays: Jan 1 Mon, Feb 12 Mon, Feb 13 Tue, Mar 29 Fri,
  // May 1 Wed, May 30 Thu, Nov 15 Fri, Nov 20 Wed, Dec 25 Wed = 9
  // (Apr 21 Sun, Sep 7 Sat, Oct 12 Sat, Nov 2 Sat fall on weekends).
  // (262 - 9) x 9 h = 2277 h.
  CHECK(hours(c, "America/Sao_Paulo", "2024-01-01 03:00", "2025-01-01 03:00") == 2277.0);
  // A span reaching outside the table on both sides (table is 2018-2025)
  // still counts day by day: 2017-12-29 (Fri) .. 2026-01-02 (Fri) compared
  // with the plain clock inside hours().
  CHECK(hours(c, "America/Sao_Paulo", "2017-12-29 12:00", "2026-01-02 12:00") > 2277.0);
}

TEST_CASE("random spans match a minute-by-minute count", "[business][dst]") {
  // Reference: walk every UTC minute, read the local wall clock and count it
  // when it falls in a working interval of a non-holiday local day. Intervals
  // start and end on whole hours and never inside a repeated hour, so the
  // reference and the clock define the same thing (a repeated hour inside an
  // interval counts twice in both).
  WorkCalendar c = calendar_with({{8 * 60, 12 * 60}, {13 * 60, 18 * 60}});
  // Saturday evening and early Sunday cross the DST changes of New York and
  // Berlin (02:00/03:00) and of Sao Paulo until 2019 (at midnight: Sun 00:00
  // -> 01:00 in November 2018, Sun 00:00 -> Sat 23:00 in February 2019).
  c.week[6] = {{9 * 60, 13 * 60}, {20 * 60, 24 * 60}};
  c.week[7] = {{0, 4 * 60}};
  c.holidays = {day("2024-03-11"), day("2024-11-04")};
  c.brazil_holidays = true;
  for (const char *tz : {"America/New_York", "America/Sao_Paulo", "Europe/Berlin", "UTC"}) {
    TimeZone zone(tz);
    BusinessClock plain(c, tz);
    BusinessClock table(c, tz, day("2018-01-01"), day("2024-12-31"));
    auto reference = [&](Seconds from, Seconds to) {
      Seconds n = 0;
      for (Seconds t = from; t < to; t += 60) {
        Seconds local = zone.to_local(t);
        Day d = zone.local_day(t);
        int minute = static_cast<int>((local - static_cast<Seconds>(d) * 86400) / 60);
        if (plain.is_holiday(d)) continue;
        for (const auto &iv : c.week[weekday_iso(d)])
          if (minute >= iv.begin_minute && minute < iv.end_minute) n += 60;
      }
      return n;
    };
    std::mt19937_64 rng(42);
    // Starts around the DST weeks of both zones' hemispheres and elsewhere.
    std::vector<Seconds> anchors{utc("2024-03-08 00:00"), utc("2024-03-29 00:00"), utc("2024-10-25 00:00"),
                                 utc("2024-11-01 00:00"), utc("2024-02-09 00:00"), utc("2024-06-01 00:00"),
                                 utc("2018-11-01 00:00"), utc("2019-02-14 00:00")};
    for (int i = 0; i < 80; ++i) {
      Seconds from = anchors[rng() % anchors.size()] + static_cast<Seconds>(rng() % (5 * 24 * 60)) * 60;
      Seconds to = from + static_cast<Seconds>(rng() % (6 * 24 * 60)) * 60;
      Seconds want = reference(from, to);
      INFO(tz << " from " << from << " to " << to);
      CHECK(plain.business_seconds(from, to) == want);
      CHECK(table.business_seconds(from, to) == want);
    }
  }
}

TEST_CASE("an unknown zone is a configuration error", "[business]") {
  CHECK_THROWS_AS(BusinessClock(default_calendar(), "Mars/Olympus_Mons"), ConfigError);
}
