// The SQL databases the plugin reads (source) and writes (nightly target):
// one enum, parsed once from the configured backend name. What differs
// between them lives behind one interface per concern, each keyed by this
// enum: reading a profile (source/backend.hpp), writing the nightly target
// (nightly/target.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cskpi {

enum class Dialect : std::uint8_t {
  sqlite3,     // SQLite 3 (>= 3.38)
  postgresql,  // PostgreSQL
  mysql,       // MySQL / MariaDB
};

// Every dialect, in the order messages list them.
std::span<const Dialect> all_dialects();
// The configuration's name of d: "sqlite3", "postgresql", "mysql" (also the
// profiles' dialect directory names and SOCI's backend names).
const char *dialect_name(Dialect d);
// "sqlite3, postgresql or mysql", for messages.
const std::string &dialect_choices();
// The names of ds as "a, b or c", for messages.
std::string join_dialects(std::span<const Dialect> ds);
// The dialect named `name`; nullopt when none is.
std::optional<Dialect> find_dialect(std::string_view name);
// The dialect named `name`, or ConfigError "unknown <what> 'name' (expected
// sqlite3, postgresql or mysql)".
Dialect parse_dialect(std::string_view name, std::string_view what = "database backend");

// A quoted SQL identifier of d (double quotes; MySQL: backticks). For names
// the plugin knows (canonical columns, its own tables and columns), never data.
std::string quote_ident(Dialect d, std::string_view name);

// A one-row, one-column SELECT of d's UTC clock now as text 'YYYY-MM-DD
// HH:MM:SS': the watermark of an incremental nightly run (docs/nightly.md
// "Incremental runs"), read from the source database, not this machine.
const char *utc_clock_sql(Dialect d);

}  // namespace cskpi
