// The source layer's entry point: reads every source of a profile from a
// database into the compact model (core/dataset.hpp), applying the data
// conventions of docs/kpis.md §1 and the data-quality rules of §11.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/calendar.hpp"
#include "core/dataset.hpp"
#include "core/dialect.hpp"
#include "core/settings.hpp"
#include "source/profile.hpp"

namespace soci { class session; }

namespace cskpi {

struct LoadHooks {
  // Called when a source starts (rows_so_far 0) and after every chunk of rows
  // (10000) with the rows of `source` read so far; returning false stops the
  // load with CancelledError (the transaction is rolled back). Always called
  // on the thread that called load_dataset. When two connections read (see
  // second_session), the other connection's sources are reported after each
  // of this thread's chunks and, once this thread's sources are read, about
  // every 100 ms (repeating the last count while a statement runs), so a
  // source's counts may arrive interleaved with another's.
  std::function<bool(const std::string &source, std::int64_t rows_so_far)> progress;
  // Opens another session on the same database with the same session
  // settings (search_path...): when set and the backend can share a
  // snapshot (postgresql), customers and order_lines are read on `db` while
  // a second thread reads the other sources on this session, in a
  // transaction that imports the snapshot of db's (as pg_dump -j does).
  // Called once, on the caller's thread; it may throw or return null.
  std::function<std::unique_ptr<soci::session>()> second_session;
  // Told (on the caller's thread) why the load fell back to one connection.
  std::function<void(const std::string &message)> log;
};

namespace incremental { struct Model; }

// A load through the saved model of the nightly job (docs/nightly.md
// "Incremental runs"). Every source the profile declares change capture for
// is read into model->sources (in full, or as the changes since its
// watermark applied to the saved rows) and the Dataset is built by replaying
// those rows through the row handlers; the other sources are read as always.
struct ModelLoad {
  incremental::Model *model = nullptr;  // in: the saved model (incremental); out: this run's
  bool incremental = false;             // false: the captured sources are read in full
  int overlap_minutes = 60;             // :since = a source's watermark minus this
};

// Loads profile `p` from `db` (a session of `dialect`: sqlite3, postgresql or
// mysql, i.e. MySQL or MariaDB) for a run as of `as_of` (a resolved local day).
//
// Everything is read inside one read-only transaction (PostgreSQL: REPEATABLE
// READ READ ONLY, so all sources share one snapshot; MySQL / MariaDB: a
// consistent-snapshot READ ONLY transaction; SQLite: a transaction with PRAGMA
// query_only on, restored afterwards), which is committed at the
// end, or rolled back on any failure, and leaves the session usable whatever
// happens.
//
// PostgreSQL with hooks.second_session: the transaction exports its snapshot
// (pg_export_snapshot(), its first statement) and a second connection's
// REPEATABLE READ READ ONLY transaction imports it (SET TRANSACTION
// SNAPSHOT), so both read exactly the same data; invoices, tickets, feedback,
// subscriptions and retention_costs are read there by a worker thread, and
// its part is merged in so that the Dataset is identical, id for id, to the
// one-connection load's. Both transactions are committed at the end; on any
// failure or cancel the worker is interrupted (PQcancel) and joined, both are
// rolled back, and the error is the one the one-connection load would give
// (the first failing source in canonical order). No thread outlives the call,
// and the second session is closed before it returns. When the second session
// cannot be opened or the snapshot cannot be shared, the load reads
// everything on `db` as before (hooks.log says why); never an error for that.
//
// Each source's SELECT is first described, not run: a missing canonical
// column or one whose type clearly cannot hold the canonical value is a
// ProfileError naming the profile, the source, the column and the columns the
// SELECT returned (extra columns are ignored). The rows are then streamed in
// chunks, converted by the database to compact types (dates as day numbers,
// timestamps as epoch seconds), so memory does not grow with the row count
// beyond the model itself.
//
// Sources not in the profile are absent (Dataset::present false). The
// built-in `canonical` profile also treats an optional source whose table or
// view does not exist as absent.
//
// Dates are calendar dates as stored. Timestamps without a time zone are UTC,
// or local wall-clock time in Settings::timezone when
// Settings::timestamps_local; PostgreSQL timestamptz values are instants and
// never shifted. Local days come from Settings::timezone.
//
// Throws ProfileError (columns, types, SQL errors in a profile query),
// SourceError (the database failed), CancelledError (progress said stop),
// ConfigError (backend, as_of, time zone).
//
// With `through`: the load goes through the saved model (ModelLoad), on one
// connection; Dataset::rows_read then counts the rows read from the
// database (for an incremental source: its changes, and "<source>.documents"
// the keys of its documents SELECT).
Dataset load_dataset(soci::session &db, Dialect dialect, const Profile &p, const Settings &s, Day as_of,
                     const LoadHooks &hooks = {}, ModelLoad *through = nullptr);
// The same with the dialect by name (ConfigError for an unknown one).
Dataset load_dataset(soci::session &db, std::string_view backend, const Profile &p, const Settings &s, Day as_of,
                     const LoadHooks &hooks = {}, ModelLoad *through = nullptr);

}  // namespace cskpi
