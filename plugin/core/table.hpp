// A typed result table (column names, types, rows, nulls): what the C ABI
// hands to hosts for every table of kpi-spec (kpis, cohorts, health, ...).
// Columnar: one vector per column, filled row by row with the push_* calls.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"

namespace cskpi {

enum class ColumnType { text = 1, int64 = 2, real = 3, boolean = 4, date = 5 };

struct Column {
  std::string name;
  ColumnType type;
  std::vector<std::string> text;   // text and date (ISO) columns
  std::vector<std::int64_t> ints;  // int64 and boolean columns
  std::vector<double> reals;       // real columns
  std::vector<std::uint8_t> null;  // 1 = null, every column
};

// One declared column of a result table. `nullable` is what the snapshot
// table (sql/migrations) declares: false = NOT NULL there.
struct ColumnSpec {
  const char *name;
  ColumnType type;
  bool nullable;
};

// The spelling of column lists, close to the migrations' CREATE TABLE:
// col::text("segment", col::not_null), col::real("score") (nullable).
namespace col {
inline constexpr bool not_null = false;
constexpr ColumnSpec text(const char *name, bool nullable = true) { return {name, ColumnType::text, nullable}; }
constexpr ColumnSpec int64(const char *name, bool nullable = true) { return {name, ColumnType::int64, nullable}; }
constexpr ColumnSpec real(const char *name, bool nullable = true) { return {name, ColumnType::real, nullable}; }
constexpr ColumnSpec boolean(const char *name, bool nullable = true) { return {name, ColumnType::boolean, nullable}; }
constexpr ColumnSpec date(const char *name, bool nullable = true) { return {name, ColumnType::date, nullable}; }
}  // namespace col

// A result table's name and columns, declared once beside the code that fills
// it and listed in the table registry (plugin/engine/table_registry.cpp).
struct TableSchema {
  const char *name;
  std::span<const ColumnSpec> columns;
};

class Table {
 public:
  explicit Table(std::string name) : name_(std::move(name)) {}
  // An empty table with the schema's name and columns, in declared order.
  explicit Table(const TableSchema &schema);

  const std::string &name() const { return name_; }
  std::size_t add_column(std::string name, ColumnType type);
  std::size_t column_count() const { return columns_.size(); }
  std::size_t row_count() const { return columns_.empty() ? 0 : columns_[0].null.size(); }
  const Column &column(std::size_t i) const { return columns_[i]; }
  // Index of the column named name, or -1.
  int find_column(std::string_view name) const;
  // Index of the column named name; throws std::logic_error when there is none
  // (a column used by the code but missing from the table's declaration).
  std::size_t column_index(std::string_view name) const;

  // Append one value to column col; every column must get one value per row.
  void push_text(std::size_t col, std::string_view v);
  void push_date(std::size_t col, Day d);        // kNoDay = null
  void push_int(std::size_t col, std::int64_t v);
  void push_real(std::size_t col, double v);     // NaN = null
  void push_bool(std::size_t col, bool v);
  void push_null(std::size_t col);

  // JSON text: an array of objects, one per row, null where null.
  std::string to_json() const;

 private:
  std::string name_;
  std::vector<Column> columns_;
};

}  // namespace cskpi
