#include "simulation_time.hpp"

#include <stdexcept>

namespace cskpi::demo {

std::int64_t parse_date(const std::string &s, const char *what) {
  try {
    return parse_day(s);
  } catch (const std::invalid_argument &e) {
    throw std::invalid_argument(std::string("demo: ") + what + " must be a calendar date YYYY-MM-DD: " + e.what());
  }
}

std::int64_t add_office_hours(std::int64_t t, double hours) {
  std::int64_t left = static_cast<std::int64_t>(hours * kHour);
  for (;;) {
    const std::int64_t day = day_of(t);
    const std::int64_t open = day * kDay + 8 * kHour, close = day * kDay + 18 * kHour;
    if (weekday(day) >= 6 || t >= close) {
      t = (day + 1) * kDay + 8 * kHour;
      continue;
    }
    if (t < open) t = open;
    if (t + left <= close) return t + left;
    left -= close - t;
    t = (day + 1) * kDay + 8 * kHour;
  }
}

namespace {

void put2(char *p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

Stamp fmt_date(std::int64_t day) {
  const CivilDate c = civil_date(to_day(day));
  Stamp s{};
  put2(s.b, c.year / 100);
  put2(s.b + 2, c.year % 100);
  s.b[4] = '-';
  put2(s.b + 5, static_cast<int>(c.month));
  s.b[7] = '-';
  put2(s.b + 8, static_cast<int>(c.day));
  s.n = 10;
  return s;
}

Stamp fmt_ts(std::int64_t t) {
  const std::int64_t day = day_of(t);
  const int sec = static_cast<int>(t - day * kDay);
  Stamp s = fmt_date(day);
  s.b[10] = ' ';
  put2(s.b + 11, sec / 3600);
  s.b[13] = ':';
  put2(s.b + 14, sec / 60 % 60);
  s.b[16] = ':';
  put2(s.b + 17, sec % 60);
  s.n = 19;
  return s;
}

}  // namespace cskpi::demo
