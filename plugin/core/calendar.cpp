#include "core/calendar.hpp"

#include <algorithm>
#include <stdexcept>

#include <date/date.h>

#include "core/errors.hpp"

namespace cskpi {
namespace {

date::sys_days to_sys(Day d) { return date::sys_days{date::days{d}}; }
Day from_sys(date::sys_days d) { return static_cast<Day>(d.time_since_epoch().count()); }
Day from_ymd(date::year_month_day ymd) { return from_sys(date::sys_days{ymd}); }

}  // namespace

Granularity parse_granularity(std::string_view text) {
  if (text == "day") return Granularity::day;
  if (text == "week") return Granularity::week;
  if (text == "month") return Granularity::month;
  if (text == "quarter") return Granularity::quarter;
  if (text == "year") return Granularity::year;
  throw ConfigError("granularity must be one of day, week, month, quarter, year (got '" + std::string(text) + "')");
}

const char *granularity_name(Granularity g) {
  switch (g) {
    case Granularity::day: return "day";
    case Granularity::week: return "week";
    case Granularity::month: return "month";
    case Granularity::quarter: return "quarter";
    case Granularity::year: return "year";
  }
  return "?";
}

Day make_day(int year, unsigned month, unsigned day) {
  return from_ymd(date::year{year} / date::month{month} / date::day{day});
}

namespace {

enum class DayText { ok, not_yyyy_mm_dd, not_in_calendar };

// Strict YYYY-MM-DD: anything else is refused, not guessed at.
DayText read_day(std::string_view iso, Day &out) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return DayText::not_yyyy_mm_dd;
  int v[3] = {0, 0, 0};
  const std::size_t start[3] = {0, 5, 8}, length[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k)
    for (std::size_t i = start[k]; i < start[k] + length[k]; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return DayText::not_yyyy_mm_dd;
      v[k] = v[k] * 10 + (iso[i] - '0');
    }
  const date::year_month_day ymd{date::year{v[0]}, date::month{static_cast<unsigned>(v[1])},
                                 date::day{static_cast<unsigned>(v[2])}};
  if (!ymd.ok()) return DayText::not_in_calendar;  // 2024-02-30 is no date
  out = from_ymd(ymd);
  return DayText::ok;
}

}  // namespace

Day parse_day(std::string_view iso) {
  Day d = kNoDay;
  switch (read_day(iso, d)) {
    case DayText::ok: return d;
    case DayText::not_yyyy_mm_dd: throw std::invalid_argument("not a date (YYYY-MM-DD): '" + std::string(iso) + "'");
    case DayText::not_in_calendar: break;
  }
  throw std::invalid_argument("not a valid date: '" + std::string(iso) + "'");
}

std::optional<Day> try_parse_day(std::string_view iso) {
  Day d = kNoDay;
  if (read_day(iso, d) != DayText::ok) return std::nullopt;
  return d;
}

std::string format_day(Day d) {
  if (d == kNoDay) return {};
  return date::format("%F", to_sys(d));
}

int weekday_iso(Day d) { return static_cast<int>(date::weekday{to_sys(d)}.iso_encoding()); }

CivilDate civil_date(Day d) {
  const date::year_month_day ymd{to_sys(d)};
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

Day add_months(Day d, int months) {
  const date::year_month_day moved = date::year_month_day{to_sys(d)} + date::months{months};
  return moved.ok() ? from_ymd(moved) : from_ymd(moved.year() / moved.month() / date::last);
}

Day period_floor(Granularity g, Day d) {
  date::year_month_day ymd{to_sys(d)};
  switch (g) {
    case Granularity::day: return d;
    case Granularity::week: return d - (weekday_iso(d) - 1);
    case Granularity::month: return from_ymd(ymd.year() / ymd.month() / 1);
    case Granularity::quarter: {
      unsigned m = static_cast<unsigned>(ymd.month());
      return from_ymd(ymd.year() / date::month{(m - 1) / 3 * 3 + 1} / 1);
    }
    case Granularity::year: return from_ymd(ymd.year() / date::January / 1);
  }
  return d;
}

Day period_next(Granularity g, Day start) {
  date::year_month_day ymd{to_sys(start)};
  switch (g) {
    case Granularity::day: return start + 1;
    case Granularity::week: return start + 7;
    case Granularity::month: return from_ymd(ymd + date::months{1});
    case Granularity::quarter: return from_ymd(ymd + date::months{3});
    case Granularity::year: return from_ymd(ymd + date::years{1});
  }
  return start + 1;
}

Day period_year_ago(Granularity g, Day start) {
  date::year_month_day ymd{to_sys(start)};
  auto back = ymd - date::years{1};
  // Feb 29 has no match a year earlier: take the day before (Feb 28).
  Day d = back.ok() ? from_ymd(back) : from_ymd(back.year() / back.month() / date::last);
  // Weeks: the week holding the date one year back (not always the same ISO
  // week number: 2024-03-04, week 10, compares with 2023-02-27, week 9).
  return period_floor(g, d);
}

PeriodGrid::PeriodGrid(Granularity g, Day first_day, Day as_of) : granularity_(g), as_of_(as_of) {
  if (first_day == kNoDay || as_of == kNoDay || first_day > as_of) return;
  for (Day s = period_floor(g, first_day); s <= as_of; s = period_next(g, s)) {
    // Every KPI matrix and table grows with the grid: a far-away as_of
    // (9999-12-31) must fail here, not after gigabytes of allocations.
    if (periods_.size() == kMaxPeriods)
      throw ConfigError("as_of " + format_day(as_of) + " with granularity " + granularity_name(g) + " spans more than " +
                        std::to_string(kMaxPeriods) + " periods since the first data (" + format_day(first_day) +
                        "); ask for an earlier as_of or a coarser granularity");
    periods_.push_back({s, period_next(g, s)});
  }
}

Day PeriodGrid::t1(std::size_t i) const { return std::min(periods_[i].end - 1, as_of_); }

int PeriodGrid::index_of(Day d) const {
  if (periods_.empty() || d < periods_.front().start || d >= periods_.back().end) return -1;
  if (granularity_ == Granularity::day) return d - periods_.front().start;
  if (granularity_ == Granularity::week) return (d - periods_.front().start) / 7;
  auto it = std::upper_bound(periods_.begin(), periods_.end(), d, [](Day x, const Period &p) { return x < p.start; });
  return static_cast<int>(it - periods_.begin()) - 1;
}

}  // namespace cskpi
