// The profile check, below the Backend interface: it reads through the
// loader and its read-only transactions on the configured dialect.
#pragma once

#include <cstdint>

#include "core/calendar.hpp"
#include "core/settings.hpp"
#include "core/table.hpp"

namespace cskpi {

// The "profile_check" table (plugin/source/profile_check.cpp, docs/cli.md
// "check-profile"): one row per canonical source of the configured profile,
// read at most `limit` rows each, read-only: source, status (ok | missing |
// broken), mandatory, rows, customer_id_null_rate, date_null_rate, min_date,
// max_date, change_capture (none | ok | broken: whether the profile declares
// <source>.changes.sql and <source>.documents.sql, and whether they return the
// columns an incremental run needs), findings (plain words for an ERP
// administrator). A source that
// cannot be read is a row, not an exception; ConfigError and SourceError (the
// database is unreachable) still throw. `as_of` dates the "after as_of"
// finding.
inline constexpr ColumnSpec kProfileCheckColumns[] = {
    {"source", ColumnType::text, false},
    {"status", ColumnType::text, false},
    {"mandatory", ColumnType::boolean, false},
    {"rows", ColumnType::int64, true},
    {"customer_id_null_rate", ColumnType::real, true},
    {"date_null_rate", ColumnType::real, true},
    {"min_date", ColumnType::date, true},
    {"max_date", ColumnType::date, true},
    {"change_capture", ColumnType::text, false},
    {"findings", ColumnType::text, false}};
inline constexpr TableSchema kProfileCheckTable{"profile_check", kProfileCheckColumns};
Table profile_check_table(const Settings &settings, std::int64_t limit, Day as_of);

}  // namespace cskpi
