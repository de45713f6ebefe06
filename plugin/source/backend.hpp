// Internal to plugin/source: what the loader needs from a database backend.
// The loader (loader.cpp) owns every rule about turning rows into a Dataset;
// a backend only knows how to describe a profile SELECT, how to make its
// columns come back in compact types, and how to stream them in chunks.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "core/dialect.hpp"
#include "source/canonical.hpp"

namespace cskpi::source_detail {

// Rows per chunk: the memory bound of a load (a chunk's column buffers are
// reused) and the progress-callback granularity.
inline constexpr std::size_t kChunkRows = 10000;

// A date or timestamp the database could not convert (SQLite: text that is no
// date); reported as bad_value, never confused with null.
inline constexpr long long kBadValue = INT64_MAX;

// Numbers a profile returns as text (or a database type the driver sends as
// text) are read strictly here, never coerced: the whole cell must be one
// decimal number ('12abc', 'abc', '' are bad; blanks around it are allowed).
// A bad cell becomes the marker the row handlers report as bad_value
// (docs/kpis.md §11): NaN for a real, kBadValue for an integer; a number out
// of double range (1e400) is bad too.
inline constexpr double kBadReal = std::numeric_limits<double>::quiet_NaN();
double strict_real(std::string_view text);
// An integer, or an integral decimal ('7', '7.0'); kBadValue otherwise.
long long strict_integer(std::string_view text);

// message with every quoted literal ('...' or "...") longer than 40
// characters cut to its first 40 and "…" (at a UTF-8 character boundary).
std::string shorten_literals(std::string_view message);

// A date or timestamp the database sends as text ('YYYY-MM-DD[( |T)HH:MM[:SS[.f]]]',
// blanks around it allowed), read strictly: days since 1970-01-01 (of its
// date) or seconds since the epoch (its wall clock as if UTC); kBadValue for
// anything else, '2024-02-30' included.
long long strict_iso_days(std::string_view text);
long long strict_iso_seconds(std::string_view text);

// How a normalised column travels from the database. iso_days and
// iso_seconds arrive as text and are kept as int64 (strict_iso_*).
enum class Wire : std::uint8_t { text, int64, real, iso_days, iso_seconds };

// What a normalised value means (how the loader turns it into model values).
enum class Meaning : std::uint8_t {
  text,
  integer,
  real,
  days,         // int64: days since 1970-01-01 (a calendar date as stored)
  epoch_naive,  // int64: seconds since the epoch of a wall-clock time without zone
                //        (UTC, or local time when "timestamps": "local")
  epoch_utc,    // int64: seconds since the epoch of an absolute instant
                //        (PostgreSQL timestamptz): never shifted by "timestamps"
};

// One column of a profile SELECT, as the database describes it.
struct ResultColumn {
  std::string name;
  std::string type_name;  // for messages: "text", "DATE", "numeric", ...
  int type = 0;           // sqlite3: soci::data_type; postgresql: type OID
};

// A canonical column as the wrapped SELECT delivers it.
struct PlannedColumn {
  std::string expr;  // SQL over src."<name>", built from fixed templates only
  Wire wire;
  Meaning meaning;
};

// One chunk of rows, column-major. Buffers keep their size and capacity
// between chunks, so a load allocates nothing per row here.
struct ColumnBuffer {
  Wire wire = Wire::text;
  std::vector<std::string> text;
  std::vector<long long> ints;
  std::vector<double> reals;
  std::vector<soci::indicator> ind;
};

struct Chunk {
  std::size_t rows = 0;
  std::vector<ColumnBuffer> cols;

  // Sizes every column buffer for kChunkRows rows (once per statement; the
  // backends then fill rows 0..n-1 in place).
  void reserve_rows() {
    for (auto &col : cols) {
      col.ind.resize(kChunkRows);
      switch (col.wire) {
        case Wire::text: col.text.resize(kChunkRows); break;
        case Wire::int64:
        case Wire::iso_days:
        case Wire::iso_seconds: col.ints.resize(kChunkRows); break;
        case Wire::real: col.reals.resize(kChunkRows); break;
      }
    }
  }

  bool null(std::size_t c, std::size_t r) const { return cols[c].ind[r] == soci::i_null; }
  std::string_view text(std::size_t c, std::size_t r) const { return cols[c].text[r]; }
  long long integer(std::size_t c, std::size_t r) const { return cols[c].ints[r]; }
  double real(std::size_t c, std::size_t r) const { return cols[c].reals[r]; }
};

// A database failure, before the loader adds which profile and source it was
// reading. `connection` separates the database's trouble (unreachable, locked,
// out of space: SourceError) from the profile's (bad SQL: ProfileError).
struct DbFailure : std::runtime_error {
  DbFailure(const std::string &message, bool connection_problem)
      : std::runtime_error(message), connection(connection_problem) {}
  bool connection;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Dialect dialect() const = 0;
  const char *name() const { return dialect_name(dialect()); }

  // The read-only transaction around a whole load (SourceError on failure).
  virtual void begin() = 0;
  virtual void commit() = 0;
  // Ends the transaction after a failure and restores the session; never throws.
  virtual void rollback() noexcept = 0;

  // Sharing one snapshot between connections (PostgreSQL, as pg_dump -j).
  // export_snapshot: called right after begin(), before anything else reads:
  // the id another connection passes to begin_with_snapshot to see exactly
  // what this transaction sees; "" when the backend cannot share a snapshot
  // (DbFailure when the server refuses: the transaction is then aborted).
  virtual std::string export_snapshot() { return {}; }
  // begin() in the snapshot `id` of another connection's open transaction
  // (SourceError-worthy DbFailure when it cannot be imported).
  virtual void begin_with_snapshot(const std::string &id) {
    throw DbFailure(std::string(name()) + " cannot share a snapshot (" + id + ")", true);
  }
  // Interrupts the statement this backend is running, from another thread
  // (the statement then fails); a no-op when idle. Never throws.
  virtual void cancel() noexcept {}

  // Whether a table or view of this name is visible (the canonical profile
  // treats a missing optional table as an absent source).
  virtual bool relation_exists(const std::string &name) = 0;
  // The columns of a profile SELECT, without reading its rows (DbFailure).
  virtual std::vector<ResultColumn> describe(const std::string &select) = 0;
  // The normalising expression for canonical column `want` found as `have`;
  // nullopt (and a reason in `why`) when the type clearly cannot be one.
  virtual std::optional<PlannedColumn> plan(const CanonicalColumn &want, const ResultColumn &have,
                                            std::string &why) const = 0;
  // Runs `select` (its columns as in `chunk.cols[i].wire`) and calls `sink`
  // for every chunk of at most kChunkRows rows. Exceptions from `sink` pass
  // through after the statement is cleaned up (DbFailure for the database's).
  virtual void read(const std::string &select, Chunk &chunk, const std::function<void(const Chunk &)> &sink) = 0;

  // Change capture (docs/nightly.md "Incremental runs"): a SELECT whose text
  // names the parameter :since, bound (never pasted into the SQL) to a UTC
  // 'YYYY-MM-DD HH:MM:SS'. describe_since and read_since are describe and
  // read for it (read_since: one prepared statement; a day's changes are
  // small). A dialect without it throws DbFailure (not a connection problem).
  virtual std::vector<ResultColumn> describe_since(const std::string &select) {
    (void)select;
    throw DbFailure(std::string(name()) + " sources have no change capture", false);
  }
  virtual void read_since(const std::string &select, const std::string &since, Chunk &chunk,
                          const std::function<void(const Chunk &)> &sink) {
    (void)select, (void)since, (void)chunk, (void)sink;
    throw DbFailure(std::string(name()) + " sources have no change capture", false);
  }
  // The database's UTC clock now, 'YYYY-MM-DD HH:MM:SS' (utc_clock_sql,
  // core/dialect.hpp), read inside the load's transaction: the watermark.
  virtual std::string utc_clock() = 0;
};

// select with every :since parameter written $1 (PostgreSQL's numbered
// parameters); "::since" (a cast) and ":sinceX" are left alone.
std::string numbered_since(std::string_view select);

std::unique_ptr<Backend> make_sqlite3_backend(soci::session &db);
std::unique_ptr<Backend> make_postgresql_backend(soci::session &db);
std::unique_ptr<Backend> make_mysql_backend(soci::session &db);
// The reader of dialect d over db (a session of that dialect).
std::unique_ptr<Backend> make_backend(Dialect d, soci::session &db);

}  // namespace cskpi::source_detail
