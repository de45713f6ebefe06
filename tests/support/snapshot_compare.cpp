#include "support/snapshot_compare.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <optional>
#include <variant>

#include <soci/soci.h>

#include "nightly/snapshot.hpp"

namespace cskpi::test {
namespace {

// A cell: null, text (dates as text), an integer or a real.
using Cell = std::variant<std::monostate, std::string, long long, double>;
struct Rows {
  std::vector<std::string> names;
  std::vector<std::vector<Cell>> rows;
};

Cell cell_of(const soci::row &r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::monostate{};
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string: return r.get<std::string>(i);
    case soci::dt_double: return r.get<double>(i);
    case soci::dt_integer: return static_cast<long long>(r.get<int>(i));
    case soci::dt_long_long: return r.get<long long>(i);
    case soci::dt_unsigned_long_long: return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_date: {
      std::tm t = r.get<std::tm>(i);
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%d", &t);
      return std::string(buf);
    }
    default: return std::string("(unsupported type)");
  }
}

Rows read_table(soci::session &s, const std::string &table, const std::string &as_of) {
  Rows out;
  soci::rowset<soci::row> rs =
      (s.prepare << "SELECT * FROM " + table + " WHERE CAST(as_of AS TEXT) = '" + as_of + "'");
  for (const auto &r : rs) {
    if (out.names.empty())
      for (std::size_t i = 0; i < r.size(); ++i) out.names.push_back(r.get_properties(i).get_name());
    std::vector<Cell> cells;
    for (std::size_t i = 0; i < r.size(); ++i)
      if (out.names[i] != "run_id") cells.push_back(cell_of(r, i));
    out.rows.push_back(std::move(cells));
  }
  out.names.erase(std::remove(out.names.begin(), out.names.end(), "run_id"), out.names.end());
  // Reals last in the sort key: a last-digit difference must not reorder rows.
  auto key = [](const std::vector<Cell> &row) {
    std::vector<Cell> k;
    for (const auto &c : row)
      if (!std::holds_alternative<double>(c)) k.push_back(c);
    for (const auto &c : row)
      if (std::holds_alternative<double>(c)) k.push_back(c);
    return k;
  };
  std::sort(out.rows.begin(), out.rows.end(), [&](const auto &x, const auto &y) { return key(x) < key(y); });
  return out;
}

std::string text_of(const Cell &c) {
  if (std::holds_alternative<std::monostate>(c)) return "null";
  if (const auto *s = std::get_if<std::string>(&c)) return "'" + *s + "'";
  if (const auto *i = std::get_if<long long>(&c)) return std::to_string(*i);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", std::get<double>(c));
  return buf;
}

bool same(const Cell &x, const Cell &y) {
  const auto *a = std::get_if<double>(&x), *b = std::get_if<double>(&y);
  if (!a || !b) return x == y;
  if (std::isnan(*a) || std::isnan(*b)) return std::isnan(*a) && std::isnan(*b);
  return std::fabs(*a - *b) <= 1e-9 * std::max({1.0, std::fabs(*a), std::fabs(*b)});
}

}  // namespace

std::vector<std::string> snapshot_differences(soci::session &a, soci::session &b, const std::string &as_of) {
  std::vector<std::string> out;
  for (const auto &table : snapshot_targets()) {
    const Rows x = read_table(a, table, as_of), y = read_table(b, table, as_of);
    if (x.rows.size() != y.rows.size()) {
      out.push_back(table + ": " + std::to_string(x.rows.size()) + " rows vs " + std::to_string(y.rows.size()));
      continue;
    }
    for (std::size_t r = 0; r < x.rows.size(); ++r)
      for (std::size_t c = 0; c < x.rows[r].size() && c < y.rows[r].size(); ++c)
        if (!same(x.rows[r][c], y.rows[r][c]))
          out.push_back(table + ": row " + std::to_string(r) + " column " + x.names[c] + ": " +
                        text_of(x.rows[r][c]) + " vs " + text_of(y.rows[r][c]));
  }
  return out;
}

}  // namespace cskpi::test
