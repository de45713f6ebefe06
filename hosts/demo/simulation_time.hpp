// Time in the demo ERP simulation: instants are UTC seconds since
// 1970-01-01, dates are days since then (plugin/core/calendar's Day, held in
// 64 bits here so that day * kDay cannot overflow). The civil-date math is
// the calendar's; this file adds only what a simulated office needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/calendar.hpp"

namespace cskpi::demo {

inline constexpr std::int64_t kDay = 86400;
inline constexpr std::int64_t kHour = 3600;
// "Never" and "long ago" sentinels, far enough from the int64 limits that
// differences with real times cannot overflow.
inline constexpr std::int64_t kNever = std::int64_t{1} << 60;
inline constexpr std::int64_t kLongAgo = -(std::int64_t{1} << 60);

// A simulation day as the calendar's Day (the horizon is a few years).
inline Day to_day(std::int64_t day) { return static_cast<Day>(day); }

// The day of an instant (rounded down, also before 1970).
inline std::int64_t day_of(std::int64_t t) { return t >= 0 ? t / kDay : (t - kDay + 1) / kDay; }

// 1 = Monday .. 7 = Sunday.
inline int weekday(std::int64_t day) { return weekday_iso(to_day(day)); }

// The last day of the month containing day.
inline std::int64_t month_last_day(std::int64_t day) {
  return period_next(Granularity::month, period_floor(Granularity::month, to_day(day))) - 1;
}

// A YYYY-MM-DD option as a day; std::invalid_argument naming the option
// (`what`) otherwise.
std::int64_t parse_date(const std::string &s, const char *what);

// t plus `hours` of office time (Monday-Friday 08:00-18:00 UTC): when
// agents answer and work on tickets.
std::int64_t add_office_hours(std::int64_t t, double hours);

// A formatted date or timestamp, held in place: millions are written, and
// a std::string per value (19 chars: past the small-string buffer) cost a
// heap allocation each (so not the calendar's format_day).
struct Stamp {
  char b[20];
  std::size_t n;
  operator std::string_view() const { return {b, n}; }
  std::string str() const { return std::string(b, n); }
};

Stamp fmt_date(std::int64_t day);  // YYYY-MM-DD
Stamp fmt_ts(std::int64_t t);      // YYYY-MM-DD HH:MM:SS

}  // namespace cskpi::demo
