// The source layer's entry point: reads every source of a profile from a
// database into the compact model (core/dataset.hpp), applying the data
// conventions of kpi-spec §1 and the data-quality rules of §12.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/calendar.hpp"
#include "core/dataset.hpp"
#include "core/settings.hpp"
#include "source/profile.hpp"

namespace soci { class session; }

namespace cskpi {

struct LoadHooks {
  // Called when a source starts (rows_so_far 0) and after every chunk of rows
  // (10000) with the rows of `source` read so far; returning false stops the
  // load with CancelledError (the transaction is rolled back).
  std::function<bool(const std::string &source, std::int64_t rows_so_far)> progress;
};

// Loads profile `p` from `db` (backend "sqlite3" or "postgresql": the session's
// own backend) for a run as of `as_of` (a resolved local day).
//
// Everything is read inside one read-only transaction (PostgreSQL: REPEATABLE
// READ READ ONLY, so all sources share one snapshot; SQLite: a transaction
// with PRAGMA query_only on, restored afterwards), which is rolled back and
// leaves the session usable whatever happens.
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
Dataset load_dataset(soci::session &db, const std::string &backend, const Profile &p, const Settings &s, Day as_of,
                     const LoadHooks &hooks = {});

}  // namespace cskpi
