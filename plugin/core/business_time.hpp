// Business hours (docs/kpis.md §6): time inside a working calendar — a weekly
// schedule of local working intervals minus holidays — in an IANA time zone,
// correct across DST changes (Howard Hinnant's tz over the system tz database).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/settings.hpp"

namespace cskpi {

// Brazilian national holidays of a year: fixed dates plus Carnival Monday and
// Tuesday, Good Friday and Corpus Christi (from Easter).
std::vector<Day> brazil_holidays(int year);
// Easter Sunday of a Gregorian year.
Day easter_sunday(int year);

class BusinessClock {
 public:
  // Throws ConfigError for an unknown time zone. Every day is computed from
  // the zone on demand: O(days spanned) per call.
  BusinessClock(const WorkCalendar &calendar, const std::string &timezone);
  // Same, plus a precomputed table of the local days [first_day, last_day]:
  // a span whose ends fall inside it costs O(1), whatever its length. Spans
  // reaching outside the table stay correct (computed day by day there).
  BusinessClock(const WorkCalendar &calendar, const std::string &timezone, Day first_day, Day last_day);
  ~BusinessClock();
  BusinessClock(BusinessClock &&) noexcept;
  BusinessClock &operator=(BusinessClock &&) noexcept;

  // Working seconds between two UTC instants (0 when to <= from).
  Seconds business_seconds(Seconds from_utc, Seconds to_utc) const;
  double business_hours(Seconds from_utc, Seconds to_utc) const { return static_cast<double>(business_seconds(from_utc, to_utc)) / 3600.0; }
  bool is_holiday(Day local_day) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cskpi
