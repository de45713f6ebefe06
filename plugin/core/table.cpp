#include "core/table.hpp"

#include <cmath>
#include <stdexcept>

#include <boost/json.hpp>

namespace cskpi {

std::size_t Table::add_column(std::string name, ColumnType type) {
  columns_.push_back(Column{std::move(name), type, {}, {}, {}, {}});
  return columns_.size() - 1;
}

Table::Table(const TableSchema &schema) : name_(schema.name) {
  for (const ColumnSpec &c : schema.columns) add_column(c.name, c.type);
}

std::size_t Table::column_index(std::string_view name) const {
  int i = find_column(name);
  if (i < 0) throw std::logic_error("table '" + name_ + "' declares no column '" + std::string(name) + "'");
  return static_cast<std::size_t>(i);
}

int Table::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].name == name) return static_cast<int>(i);
  return -1;
}

// Every column keeps a slot in each of its own value vector per row, so that
// row r of a column is always index r, null or not (push_null).
void Table::push_text(std::size_t col, std::string_view v) {
  auto &c = columns_[col];
  c.text.emplace_back(v);
  c.null.push_back(0);
}

void Table::push_date(std::size_t col, Day d) {
  if (d == kNoDay) return push_null(col);
  push_text(col, format_day(d));
}

void Table::push_int(std::size_t col, std::int64_t v) {
  auto &c = columns_[col];
  c.ints.push_back(v);
  c.null.push_back(0);
}

void Table::push_real(std::size_t col, double v) {
  // A non-finite number is no value (and no JSON): null. The loader's
  // bounds (core/amounts.hpp) keep KPIs finite; this is the last guard.
  if (!std::isfinite(v)) return push_null(col);
  auto &c = columns_[col];
  c.reals.push_back(v);
  c.null.push_back(0);
}

void Table::push_bool(std::size_t col, bool v) { push_int(col, v ? 1 : 0); }

void Table::push_null(std::size_t col) {
  auto &c = columns_[col];
  switch (c.type) {
    case ColumnType::text:
    case ColumnType::date: c.text.emplace_back(); break;
    case ColumnType::int64:
    case ColumnType::boolean: c.ints.push_back(0); break;
    case ColumnType::real: c.reals.push_back(0); break;
  }
  c.null.push_back(1);
}

std::string Table::to_json() const {
  boost::json::array rows;
  rows.reserve(row_count());
  for (std::size_t r = 0; r < row_count(); ++r) {
    boost::json::object o;
    for (const auto &c : columns_) {
      if (c.null[r]) {
        o[c.name] = nullptr;
        continue;
      }
      switch (c.type) {
        case ColumnType::text:
        case ColumnType::date: o[c.name] = c.text[r]; break;
        case ColumnType::int64: o[c.name] = c.ints[r]; break;
        case ColumnType::boolean: o[c.name] = c.ints[r] != 0; break;
        case ColumnType::real: o[c.name] = c.reals[r]; break;
      }
    }
    rows.push_back(std::move(o));
  }
  return boost::json::serialize(rows);
}

}  // namespace cskpi
