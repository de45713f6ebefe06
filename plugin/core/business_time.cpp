#include "core/business_time.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include <date/date.h>

#include "core/timezone.hpp"

namespace cskpi {
namespace {

constexpr Seconds kSecondsPerDay = 86400;
constexpr int kMinutesPerDay = 24 * 60;

// National holidays on a fixed date; `since` is the first year it applies
// (Consciência Negra, Nov 20, became national in 2024).
struct FixedHoliday {
  unsigned month;
  unsigned day;
  int since;
};
constexpr FixedHoliday kBrazilFixed[] = {{1, 1, 0},   {4, 21, 0},  {5, 1, 0},   {9, 7, 0},  {10, 12, 0},
                                         {11, 2, 0},  {11, 15, 0}, {11, 20, 2024}, {12, 25, 0}};
// Days from Easter Sunday: Carnival Monday and Tuesday, Good Friday, Corpus Christi.
constexpr int kBrazilEasterOffsets[] = {-48, -47, -2, 60};

date::year_month_day civil(Day d) { return date::year_month_day{date::sys_days{date::days{d}}}; }

bool is_brazil_holiday(Day d) {
  auto ymd = civil(d);
  int year = static_cast<int>(ymd.year());
  auto month = static_cast<unsigned>(ymd.month());
  auto day = static_cast<unsigned>(ymd.day());
  for (const auto &f : kBrazilFixed)
    if (f.month == month && f.day == day && year >= f.since) return true;
  Day easter = easter_sunday(year);
  for (int off : kBrazilEasterOffsets)
    if (d == easter + off) return true;
  return false;
}

using DaySchedule = std::vector<WorkInterval>;

// Sorted, non-overlapping intervals clipped to the day, so that a sloppy or
// overlapping configuration never counts a minute twice.
DaySchedule normalize(DaySchedule day) {
  for (auto &iv : day) {
    iv.begin_minute = std::clamp(iv.begin_minute, 0, kMinutesPerDay);
    iv.end_minute = std::clamp(iv.end_minute, 0, kMinutesPerDay);
  }
  std::erase_if(day, [](const WorkInterval &iv) { return iv.end_minute <= iv.begin_minute; });
  std::sort(day.begin(), day.end(), [](const WorkInterval &a, const WorkInterval &b) { return a.begin_minute < b.begin_minute; });
  DaySchedule merged;
  for (const auto &iv : day) {
    if (!merged.empty() && iv.begin_minute <= merged.back().end_minute)
      merged.back().end_minute = std::max(merged.back().end_minute, iv.end_minute);
    else
      merged.push_back(iv);
  }
  return merged;
}

// Index 1..7 = Monday..Sunday, like WorkCalendar::week. An entirely empty
// week means "not configured": the kpi-spec default Mon-Fri 08:00-18:00.
std::array<DaySchedule, 8> weekly_schedule(const WorkCalendar &calendar) {
  std::array<DaySchedule, 8> week;
  bool any = false;
  for (int d = 1; d <= 7; ++d) {
    week[d] = normalize(calendar.week[d]);
    any = any || !week[d].empty();
  }
  if (!any)
    for (int d = 1; d <= 5; ++d) week[d] = {{8 * 60, 18 * 60}};
  return week;
}

Seconds local_seconds(Day d, int minute) { return static_cast<Seconds>(d) * kSecondsPerDay + minute * 60; }

}  // namespace

Day easter_sunday(int year) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  int a = year % 19, b = year / 100, c = year % 100;
  int d = b / 4, e = b % 4;
  int f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = (h + l - 7 * m + 114) % 31 + 1;
  return make_day(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

std::vector<Day> brazil_holidays(int year) {
  std::vector<Day> days;
  for (const auto &f : kBrazilFixed)
    if (year >= f.since) days.push_back(make_day(year, f.month, f.day));
  Day easter = easter_sunday(year);
  for (int off : kBrazilEasterOffsets) days.push_back(easter + off);
  std::sort(days.begin(), days.end());
  return days;
}

// Days are local civil days. Each day d has a UTC start, midnight(d) = the
// earliest instant whose wall clock reads d 00:00 (or the DST jump instant
// when 00:00 does not exist). Every working interval of d lies inside
// [midnight(d), midnight(d + 1)], so a span [from, to) touches whole days
// between the day containing `from` and the day containing `to`, and only the
// two end days need clipping. Local wall-clock times are mapped to UTC the
// same way (earliest on a repeated hour, forward on a skipped one), which
// makes an interval's real length shrink or grow on a DST-change day and
// keeps adjacent intervals adjacent.
//
// The optional table holds, for the days [lo, lo + n), midnight(d) (n + 1
// entries) and the prefix sums of whole-day working seconds: then day
// lookup, whole-day sums and the clipping of a regular (24 h) day need no
// zone lookups at all.
struct BusinessClock::Impl {
  TimeZone zone;
  std::array<DaySchedule, 8> week;
  std::vector<Day> holidays;  // explicit ones, sorted
  bool brazil = false;
  Day lo = 0;
  std::vector<Seconds> midnight;    // midnight(lo + k), k = 0..n
  std::vector<Seconds> cumulative;  // working seconds of days [lo, lo + k), k = 0..n

  Impl(const WorkCalendar &calendar, const std::string &zone_name)
      : zone(zone_name), week(weekly_schedule(calendar)), holidays(calendar.holidays), brazil(calendar.brazil_holidays) {
    std::sort(holidays.begin(), holidays.end());
  }

  Day table_end() const { return lo + static_cast<Day>(cumulative.empty() ? 0 : cumulative.size() - 1); }
  bool in_table(Day d) const { return d >= lo && d < table_end(); }
  std::size_t index(Day d) const { return static_cast<std::size_t>(d - lo); }

  bool holiday(Day d) const {
    return std::binary_search(holidays.begin(), holidays.end(), d) || (brazil && is_brazil_holiday(d));
  }
  const DaySchedule &schedule(Day d) const { return week[static_cast<std::size_t>(weekday_iso(d))]; }

  Seconds midnight_utc(Day d) const {
    if (d >= lo && d <= table_end() && !midnight.empty()) return midnight[index(d)];
    return zone.to_utc(local_seconds(d, 0));
  }

  // UTC instant of minute `minute` of local day d. On a 24-hour table day
  // the offset is constant, so no zone lookup is needed.
  Seconds utc_of(Day d, int minute) const {
    if (in_table(d) && midnight[index(d) + 1] - midnight[index(d)] == kSecondsPerDay)
      return midnight[index(d)] + minute * 60;
    return zone.to_utc(local_seconds(d, minute));
  }

  // Working seconds of day d inside [from, to), holidays ignored.
  Seconds intervals_within(Day d, Seconds from, Seconds to) const {
    Seconds sum = 0;
    for (const auto &iv : schedule(d)) {
      Seconds b = std::max(utc_of(d, iv.begin_minute), from);
      Seconds e = std::min(utc_of(d, iv.end_minute), to);
      if (e > b) sum += e - b;
    }
    return sum;
  }

  Seconds compute_day(Day d) const {
    if (schedule(d).empty() || holiday(d)) return 0;
    return intervals_within(d, std::numeric_limits<Seconds>::min(), std::numeric_limits<Seconds>::max());
  }

  Seconds whole_day(Day d) const {
    return in_table(d) ? cumulative[index(d) + 1] - cumulative[index(d)] : compute_day(d);
  }

  // Working seconds of the whole days [a, b): the table part by prefix sums,
  // the rest (outside the table) day by day.
  Seconds whole_days(Day a, Day b) const {
    // [a, b) = [a, ta) before the table + [ta, tb) inside it + [tb, b) after it.
    Day ta = std::clamp(lo, a, b), tb = std::clamp(table_end(), ta, b);
    Seconds sum = ta < tb ? cumulative[index(tb)] - cumulative[index(ta)] : 0;
    for (Day d = a; d < ta; ++d) sum += compute_day(d);
    for (Day d = tb; d < b; ++d) sum += compute_day(d);
    return sum;
  }

  Seconds clipped_day(Day d, Seconds from, Seconds to) const {
    bool works = in_table(d) ? whole_day(d) > 0 : !schedule(d).empty() && !holiday(d);
    return works ? intervals_within(d, from, to) : 0;
  }

  // The local day d with midnight(d) <= t < midnight(d + 1).
  Day day_of(Seconds t) const {
    Day d;
    if (!midnight.empty() && t >= midnight.front() && t < midnight.back()) {
      // A guess (DST makes days 23 or 25 h long); the loops below correct it.
      Seconds k = (t - midnight.front()) / kSecondsPerDay;
      d = lo + static_cast<Day>(std::min<Seconds>(k, static_cast<Seconds>(cumulative.size()) - 2));
    } else {
      d = zone.local_day(t);
    }
    while (midnight_utc(d) > t) --d;
    while (midnight_utc(d + 1) <= t) ++d;
    return d;
  }

  void build_table(Day first, Day last) {
    // One spare day on each side, so a day lookup near the ends stays in the table.
    lo = first - 1;
    std::size_t n = static_cast<std::size_t>(last - first) + 3;
    midnight.resize(n + 1);
    for (std::size_t k = 0; k <= n; ++k) midnight[k] = zone.to_utc(local_seconds(lo + static_cast<Day>(k), 0));
    cumulative.assign(n + 1, 0);  // table_end() now covers n days; utc_of uses midnight
    for (std::size_t k = 0; k < n; ++k) cumulative[k + 1] = cumulative[k] + compute_day(lo + static_cast<Day>(k));
  }
};

BusinessClock::BusinessClock(const WorkCalendar &calendar, const std::string &zone_name)
    : impl_(std::make_unique<Impl>(calendar, zone_name)) {}

BusinessClock::BusinessClock(const WorkCalendar &calendar, const std::string &zone_name, Day first_day, Day last_day)
    : BusinessClock(calendar, zone_name) {
  if (first_day != kNoDay && last_day != kNoDay && first_day <= last_day) impl_->build_table(first_day, last_day);
}

BusinessClock::~BusinessClock() = default;
BusinessClock::BusinessClock(BusinessClock &&) noexcept = default;
BusinessClock &BusinessClock::operator=(BusinessClock &&) noexcept = default;

Seconds BusinessClock::business_seconds(Seconds from_utc, Seconds to_utc) const {
  if (to_utc <= from_utc) return 0;
  const Impl &c = *impl_;
  Day first = c.day_of(from_utc), last = c.day_of(to_utc);
  if (first == last) return c.clipped_day(first, from_utc, to_utc);
  return c.clipped_day(first, from_utc, to_utc) + c.whole_days(first + 1, last) + c.clipped_day(last, from_utc, to_utc);
}

bool BusinessClock::is_holiday(Day local_day) const { return impl_->holiday(local_day); }

}  // namespace cskpi
