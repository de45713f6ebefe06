// Local civil days, UTC instants and the period grid of docs/kpis.md §2.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cskpi {

// A local civil date as days since 1970-01-01. Compact (4 bytes) and cheap to
// compare, so every date column of the in-process model uses it.
using Day = std::int32_t;
// A UTC instant as seconds since the Unix epoch.
using Seconds = std::int64_t;

inline constexpr Day kNoDay = std::numeric_limits<Day>::min();
inline constexpr Seconds kNoTime = std::numeric_limits<Seconds>::min();

enum class Granularity { day, week, month, quarter, year };

Granularity parse_granularity(std::string_view text);  // throws ConfigError
const char *granularity_name(Granularity g);

Day make_day(int year, unsigned month, unsigned day);
Day parse_day(std::string_view iso);                    // "YYYY-MM-DD"; throws std::invalid_argument
std::optional<Day> try_parse_day(std::string_view iso);  // the same, nullopt instead of throwing (per-cell reads)
std::string format_day(Day d);                          // "YYYY-MM-DD"
int weekday_iso(Day d);                                 // 1 = Monday .. 7 = Sunday

// The calendar fields of a day (month 1..12, day 1..31).
struct CivilDate {
  int year;
  unsigned month;
  unsigned day;
};
CivilDate civil_date(Day d);
// The same day of the month `months` later (earlier when negative), clamped
// to that month's last day: 2024-01-31 + 1 month = 2024-02-29.
Day add_months(Day d, int months);

// First day of the period of granularity g that contains d.
Day period_floor(Granularity g, Day d);
// First day of the period after the one starting at start.
Day period_next(Granularity g, Day start);
// Start of the same-granularity period one year before the period starting at start.
Day period_year_ago(Granularity g, Day start);

struct Period {
  Day start;  // first day
  Day end;    // first day after (half-open)
};

// The reported periods: from the one containing first_day up to the one
// containing as_of (docs/kpis.md §2). Period i has t0 = start - 1 and
// t1 = min(end - 1, as_of); the last one is partial when it contains as_of.
class PeriodGrid {
 public:
  // At most this many periods (11 years of days, 333 years of months): the
  // KPI tables cost about 60 KB per period and segment even on tiny data
  // (a 7,976-year grid of two segments took 1 GB).
  static constexpr std::size_t kMaxPeriods = 4000;
  // Throws ConfigError when the grid would hold more than kMaxPeriods.
  PeriodGrid(Granularity g, Day first_day, Day as_of);

  Granularity granularity() const { return granularity_; }
  Day as_of() const { return as_of_; }
  std::size_t size() const { return periods_.size(); }
  const Period &operator[](std::size_t i) const { return periods_[i]; }
  Day t0(std::size_t i) const { return periods_[i].start - 1; }
  Day t1(std::size_t i) const;
  bool partial(std::size_t i) const { return periods_[i].end - 1 > as_of_; }
  // Index of the period containing d, or -1 when d is outside the grid.
  int index_of(Day d) const;

 private:
  Granularity granularity_;
  Day as_of_;
  std::vector<Period> periods_;
};

}  // namespace cskpi
