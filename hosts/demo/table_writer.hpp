// Bulk row writing for the demo generator: a columnar buffer per table that
// flushes every few thousand rows, through SOCI vector binding on SQLite and
// libpq COPY on PostgreSQL (the two fast paths of each backend; one INSERT
// per row would be 10-50x slower).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

namespace cskpi::demo {

enum class ColType : std::uint8_t { integer, real, text };

struct ColumnSpec {
  const char *name;
  ColType type;
  int decimals = 2;  // real columns: values are rounded to this many decimals
};

class RowSink;

// The rows of one table not yet written. Values are appended in column
// order with the add_* calls; end_row() checks the row is complete and
// flushes to the sink once the buffer is full.
class TableBuffer {
 public:
  TableBuffer(std::string table, std::vector<ColumnSpec> columns, RowSink &sink);

  TableBuffer &i(std::int64_t v);
  TableBuffer &r(double v);
  TableBuffer &s(std::string_view v);
  TableBuffer &null();
  // Optional helpers: a value or NULL.
  TableBuffer &i_or_null(bool present, std::int64_t v) { return present ? i(v) : null(); }
  TableBuffer &s_or_null(bool present, std::string_view v) { return present ? s(v) : null(); }
  void end_row();

  // Writes the buffered rows (called by end_row when full, and at the end).
  void flush();

  const std::string &table() const { return table_; }
  const std::vector<ColumnSpec> &specs() const { return specs_; }
  std::size_t size() const { return rows_; }
  std::int64_t written() const { return written_; }

  // Column storage, read by the sinks: rows [0, size()). Text columns keep
  // their std::string objects across flushes (they may be longer than
  // size()), so refilling them reuses their buffers instead of allocating.
  std::vector<std::vector<long long>> ints;
  std::vector<std::vector<double>> reals;
  std::vector<std::vector<std::string>> texts;
  std::vector<std::vector<soci::indicator>> inds;
  std::vector<std::size_t> slot;  // column -> index into ints/reals/texts

 private:
  void check(ColType t);

  std::string table_;
  std::vector<ColumnSpec> specs_;
  RowSink &sink_;
  std::size_t col_ = 0;
  std::size_t rows_ = 0;
  std::int64_t written_ = 0;
};

// Where buffered rows go.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void write(TableBuffer &t) = 0;
};

// backend "sqlite3": SOCI prepared INSERT with vector use binding.
// backend "postgresql": COPY ... FROM STDIN on the session's libpq connection.
std::unique_ptr<RowSink> make_sink(soci::session &db, const std::string &backend);

// v rounded to `decimals` decimals, halves away from zero as decimal
// arithmetic does (std::round(v * 100) / 100 rounds 250.705 down).
double decimal_round(double v, int decimals);

// "1234.50" style text of v with `decimals` decimals (no locale, no exponent).
std::string format_fixed(double v, int decimals);

}  // namespace cskpi::demo
