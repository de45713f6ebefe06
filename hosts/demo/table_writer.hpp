// Bulk row writing for the demo generator: a columnar buffer per table that
// hands every few thousand rows to a writer thread, which stores them with
// typed binds of one prepared INSERT on SQLite and COPY on PostgreSQL (the
// fast paths of each backend; one SQL statement per row is 10-50x slower).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <soci/soci.h>

namespace cskpi::demo {

enum class ColType : std::uint8_t { integer, real, text };

struct ColumnSpec {
  const char *name;
  ColType type;
  int decimals = 2;  // real columns: values are rounded to this many decimals
};

// The column values of up to a flush's worth of rows: rows [0, rows).
// Text columns keep their std::string objects across reuse (the vectors may
// be longer than rows), so refilling them reuses their buffers instead of
// allocating: millions of values are written.
struct Batch {
  std::vector<std::vector<long long>> ints;
  std::vector<std::vector<double>> reals;
  std::vector<std::vector<std::string>> texts;
  std::vector<std::vector<char>> nulls;  // per column: 1 = NULL
  std::size_t rows = 0;
  bool busy = false;                     // handed to the writer thread (guarded by its mutex)
};

class TableBuffer;

// Where rows go: called on the writer thread, one batch at a time.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void write(const TableBuffer &t, const Batch &b) = 0;
};

// Writes batches on a thread of its own, so generating rows (one core) and
// storing them (SQLite or libpq, the other core) overlap. Only this thread
// touches the database connection until finish() returns. An error is kept
// and rethrown to the generating thread at its next call.
class AsyncWriter {
 public:
  explicit AsyncWriter(RowSink &sink);
  ~AsyncWriter();
  AsyncWriter(const AsyncWriter &) = delete;
  AsyncWriter &operator=(const AsyncWriter &) = delete;

  void submit(const TableBuffer &t, Batch &b);  // b stays untouched until written
  void wait_free(Batch &b);                     // until b is written
  void finish();                                // everything written; rethrows
  void abandon() noexcept;                      // drops what is queued, waits for the current write

 private:
  void run();
  void rethrow_locked();

  RowSink &sink_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::pair<const TableBuffer *, Batch *>> queue_;
  std::size_t in_flight_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

// The rows of one table not yet written. Values are appended in column
// order with the calls below; end_row() checks the row is complete and hands
// a full batch to the writer (two batches alternate: one filling, one being
// written).
class TableBuffer {
 public:
  TableBuffer(std::string table, std::vector<ColumnSpec> columns, AsyncWriter &writer);

  TableBuffer &i(std::int64_t v);
  TableBuffer &r(double v);
  TableBuffer &s(std::string_view v);
  TableBuffer &null();
  // A value or NULL.
  TableBuffer &i_or_null(bool present, std::int64_t v) { return present ? i(v) : null(); }
  TableBuffer &s_or_null(bool present, std::string_view v) { return present ? s(v) : null(); }
  // create_date and write_date of a row never edited after its creation
  // (the ERP sets both to the same instant).
  TableBuffer &created(std::string_view ts) { return s(ts).s(ts); }
  void end_row();

  // Hands the buffered rows to the writer (end_row does when full; call at the end).
  void flush();

  const std::string &table() const { return table_; }
  const std::vector<ColumnSpec> &specs() const { return specs_; }
  std::size_t slot(std::size_t column) const { return slot_[column]; }  // index into Batch::ints/reals/texts
  std::int64_t written() const { return written_; }

 private:
  void check(ColType t);
  Batch &cur() { return batches_[cur_]; }

  std::string table_;
  std::vector<ColumnSpec> specs_;
  std::vector<std::size_t> slot_;
  AsyncWriter &writer_;
  Batch batches_[2];
  int cur_ = 0;
  std::size_t col_ = 0;
  std::int64_t written_ = 0;
};

// Throws std::invalid_argument unless backend is "sqlite3" or "postgresql",
// the backend of db, and customers >= 0: what both the generator and the
// day of activity are given.
void check_backend(soci::session &db, const std::string &backend, int customers);

// backend "sqlite3": SOCI prepared INSERT with vector use binding.
// backend "postgresql": COPY ... FROM STDIN on the session's libpq connection.
std::unique_ptr<RowSink> make_sink(soci::session &db, const std::string &backend);

// v rounded to `decimals` decimals, halves away from zero as decimal
// arithmetic does (std::round(v * 100) / 100 rounds 250.705 down).
double decimal_round(double v, int decimals);

// "1234.50" style text of v with `decimals` decimals (no locale, no exponent).
std::string format_fixed(double v, int decimals);

}  // namespace cskpi::demo
