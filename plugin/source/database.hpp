// Opening a SOCI session on the configured database. The sqlite3,
// postgresql and mysql backends are linked in directly (their factories), so the
// plugin never depends on SOCI's runtime backend loader finding a library.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <soci/session.h>  // complete type: callers own and destroy the session

#include "core/settings.hpp"

namespace cskpi {

// Opens settings.backend (a Dialect's name: sqlite3 | postgresql | mysql) with
// settings.connection (a SOCI connection string: a file name or "db=<file>
// timeout=<s>" for sqlite3, libpq keywords or a postgresql:// URI for
// postgresql, "host=... db=... user=..." for mysql, MySQL or MariaDB).
//
// A sqlite3 database file must already exist unless mode is write_or_create:
// SQLite would otherwise create an empty file on a mistyped path and the run
// would fail later with a puzzling "no such table". `read` (every source)
// also opens the file read-only; write_or_create is for a database the
// plugin owns (a separate nightly snapshot target).
//
// Throws ConfigError for an unknown backend or an empty connection string and
// SourceError when the database cannot be opened; the message names the
// backend and the connection with any password masked.
enum class OpenMode { read, write_existing, write_or_create };
std::unique_ptr<soci::session> open_session(const SourceSettings &settings, OpenMode mode = OpenMode::read);

// The database file of a sqlite3 connection string: the whole string,
// unless it holds key=value pairs (db= or dbname=, values optionally in
// double quotes).
std::string sqlite_file(const std::string &connection);

// The connection string with passwords masked ("password=***",
// "postgresql://user:***@host/db"): safe for messages and logs.
std::string redact_connection(std::string_view connection);

}  // namespace cskpi
