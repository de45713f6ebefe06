// The strict number readers, the message shortener and the :since rewrite of backend.hpp.
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>


#include "core/calendar.hpp"
#include "source/backend.hpp"

namespace cskpi::source_detail {
namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trimmed(std::string_view t) {
  while (!t.empty() && blank(t.front())) t.remove_prefix(1);
  while (!t.empty() && blank(t.back())) t.remove_suffix(1);
  return t;
}

}  // namespace

double strict_real(std::string_view text) {
  text = trimmed(text);
  // from_chars takes no leading '+'; a database may print one.
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::general);
  // Non-finite spellings ('inf', 'NaN') parse but are no amount.
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) return kBadReal;
  return v;
}

long long strict_integer(std::string_view text) {
  text = trimmed(text);
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  long long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (!text.empty() && ec == std::errc{} && end == text.data() + text.size() && v != kBadValue) return v;
  const double d = strict_real(text);
  // An integral decimal within the exactly representable range.
  if (std::isfinite(d) && d == std::floor(d) && std::abs(d) <= 9007199254740992.0) return static_cast<long long>(d);
  return kBadValue;
}

namespace {

// Digits [p, p + n) of t as a number; false when any is not a digit.
bool digits(std::string_view t, std::size_t p, std::size_t n, int &out) {
  if (p + n > t.size()) return false;
  out = 0;
  for (std::size_t i = p; i < p + n; ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
    out = out * 10 + (t[i] - '0');
  }
  return true;
}

// The calendar date of 'YYYY-MM-DD...' as days since 1970-01-01.
// The YYYY-MM-DD the text starts with (core/calendar's strict reading).
bool iso_date(std::string_view t, long long &days) {
  const std::optional<Day> d = t.size() >= 10 ? try_parse_day(t.substr(0, 10)) : std::nullopt;
  if (d) days = *d;
  return d.has_value();
}

}  // namespace

long long strict_iso_days(std::string_view text) {
  text = trimmed(text);
  long long days = 0;
  if (!iso_date(text, days)) return kBadValue;
  if (text.size() == 10) return days;
  // A date and time: the date of that instant (after its offset, if any).
  const long long s = strict_iso_seconds(text);
  if (s == kBadValue) return kBadValue;
  return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

namespace {

// An optional zone suffix at text[at..]: 'Z' or +HH:MM / -HH:MM (as SQLite
// and ISO 8601 write it); the seconds to subtract for UTC.
bool zone_offset(std::string_view text, std::size_t at, long long &offset) {
  offset = 0;
  if (at == text.size()) return true;
  if (text.substr(at) == "Z") return true;
  int h, m;
  if (text.size() != at + 6 || (text[at] != '+' && text[at] != '-') || !digits(text, at + 1, 2, h) ||
      text[at + 3] != ':' || !digits(text, at + 4, 2, m) || h > 14 || m > 59)
    return false;
  offset = (text[at] == '-' ? -1 : 1) * (h * 3600LL + m * 60LL);
  return true;
}

}  // namespace

long long strict_iso_seconds(std::string_view text) {
  text = trimmed(text);
  long long days = 0;
  if (!iso_date(text, days)) return kBadValue;
  if (text.size() == 10) return days * 86400;
  int h, mi, s = 0;
  if ((text[10] != ' ' && text[10] != 'T') || text.size() < 16 || !digits(text, 11, 2, h) || text[13] != ':' ||
      !digits(text, 14, 2, mi))
    return kBadValue;
  std::size_t end = 16;
  if (end < text.size() && text[end] == ':') {
    if (!digits(text, 17, 2, s)) return kBadValue;
    end = 19;
    if (end < text.size() && text[end] == '.') {  // fractions of a second: dropped (floor)
      const std::size_t first = ++end;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
      if (end == first) return kBadValue;
    }
  }
  long long offset = 0;
  if (!zone_offset(text, end, offset) || h > 23 || mi > 59 || s > 59) return kBadValue;
  return days * 86400 + h * 3600 + mi * 60 + s - offset;
}

std::string shorten_literals(std::string_view m) {
  constexpr std::size_t kKeep = 40;
  std::string out;
  out.reserve(m.size());
  for (std::size_t i = 0; i < m.size();) {
    const char q = m[i];
    const std::size_t close = q == '\'' || q == '"' ? m.find(q, i + 1) : std::string_view::npos;
    if (close == std::string_view::npos || close - i - 1 <= kKeep) {
      const std::size_t next = close == std::string_view::npos ? i + 1 : close + 1;
      out.append(m.substr(i, next - i));
      i = next;
      continue;
    }
    std::size_t cut = i + 1 + kKeep;
    while (cut > i + 1 && (static_cast<unsigned char>(m[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    out.append(m.substr(i, cut - i)).append("\u2026").push_back(q);
    i = close + 1;
  }
  return out;
}

}  // namespace cskpi::source_detail

namespace cskpi::source_detail {

std::string numbered_since(std::string_view select) {
  constexpr std::string_view kName = ":since";
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::string out;
  std::size_t pos = 0;
  for (std::size_t at; (at = select.find(kName, pos)) != std::string_view::npos; pos = at + kName.size()) {
    const bool cast = at > 0 && select[at - 1] == ':';
    const std::size_t after = at + kName.size();
    const bool longer = after < select.size() && word(select[after]);
    out.append(select.substr(pos, at - pos));
    out.append(cast || longer ? kName : std::string_view("$1"));
  }
  out.append(select.substr(pos));
  return out;
}

}  // namespace cskpi::source_detail
