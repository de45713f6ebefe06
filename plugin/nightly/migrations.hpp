// Versioned schema migrations of the target database (sql/migrations/<backend>/
// NNNN_<name>.sql, compiled into the library). Each is applied exactly once,
// in its own transaction, and recorded in cskpi_schema_version.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "nightly/target.hpp"

namespace cskpi {

struct Migration {
  int version;           // NNNN of the file name
  std::string name;      // the rest of the file name, without ".sql"
  std::string_view sql;  // the file's text (static storage)
};

// The migrations compiled in for backend (a target dialect's name: "sqlite3"
// | "postgresql"; none for "mysql"), by
// ascending version. Throws std::logic_error on a malformed file name or a
// repeated version (a build mistake, caught by the tests).
std::vector<Migration> embedded_migrations(const std::string &backend);

// The statements of a migration file: split where a line ends with ';';
// lines that start with "--" are dropped.
std::vector<std::string> split_statements(std::string_view sql);

// Versions recorded in cskpi_schema_version; empty before the first run.
std::vector<int> applied_versions(Target &db);

// Applies the pending migrations in version order, each in its own
// transaction. Concurrent callers are safe: each migration re-checks its
// version under a lock (PostgreSQL: a transaction advisory lock; SQLite:
// BEGIN IMMEDIATE) before applying it. progress(done, total) is called before
// the first and after each one, outside any transaction. Returns how many
// were applied.
int apply_migrations(Target &db, const std::function<void(int done, int total)> &progress);

}  // namespace cskpi
