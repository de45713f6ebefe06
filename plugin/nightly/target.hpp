// The target database of the nightly job: one SOCI session plus the few
// things that differ between the dialects it can write into, declared once
// per dialect (TargetDialect).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/dialect.hpp"
#include "core/settings.hpp"

namespace soci { class session; }

namespace cskpi {

// How the nightly job writes into a database of one dialect. SQLite and
// PostgreSQL have one; MySQL / MariaDB has none (no snapshot migrations): a
// MySQL source needs a sqlite3 or postgresql target.
struct TargetDialect {
  Dialect dialect;
  // How runs and migrations exclude each other (lock.hpp, migrations.hpp):
  // advisory locks on the session (PostgreSQL), or the database's write lock,
  // a write transaction held for the whole run (SQLite).
  enum class Locking { advisory, write_transaction } locking;
  const char *begin_write;           // starts a write transaction
  const char *busy_timeout_pragma;   // "<pragma> = <ms>" sets how long a statement waits for a lock; nullptr: none
  const char *now;                   // the database's clock, as the timestamp columns want it
  const char *date_cast_open;        // a date parameter is written date_cast_open + ":p" + date_cast_close
  const char *date_cast_close;
  const char *version_table_exists;  // one row: 1 when cskpi_schema_version exists, else 0
  const char *applied_at_column;     // cskpi_schema_version.applied_at's definition
  // The snapshot writer's bulk insert (writer.cpp): one statement per chunk
  // binding each column as an array (a round trip per chunk), or one
  // prepared statement stepped per row (in-process: no round trips).
  enum class BulkInsert { unnest_arrays, prepared_rows } bulk_insert;

  // The date parameter `:name` as this dialect wants it in SQL.
  std::string date_param(std::string_view name) const;
};

// The target dialect of d; nullptr when the nightly job cannot write into d.
const TargetDialect *find_target_dialect(Dialect d);
// "sqlite3 or postgresql": the dialects that have one, for messages.
std::string target_dialect_choices();

class Target {
 public:
  // Opens the target. A missing SQLite file is created when create_if_missing
  // (a separate "target": the plugin owns what it writes there), never when
  // the target is the source itself: a mistyped source path must fail as
  // such, not grow an empty database. Throws SourceError / ConfigError.
  explicit Target(const SourceSettings &settings, bool create_if_missing = true);
  ~Target();
  Target(const Target &) = delete;
  Target &operator=(const Target &) = delete;

  const SourceSettings &settings() const { return settings_; }
  const TargetDialect &dialect() const { return dialect_; }
  soci::session &sql() { return *session_; }
  // Runs one statement without parameters or results.
  void exec(const std::string &statement);

  // SQLite: how long a statement waits for another connection's lock before
  // failing with SQLITE_BUSY. No-op where the dialect has no such setting.
  void set_busy_timeout_ms(int ms);

 private:
  SourceSettings settings_;
  const TargetDialect &dialect_;
  std::unique_ptr<soci::session> session_;
};

// A transaction, rolled back unless committed: TargetDialect::begin_write
// (BEGIN on PostgreSQL, BEGIN IMMEDIATE on SQLite: the write lock is taken at
// once, so a busy database fails here rather than halfway through).
class Transaction {
 public:
  explicit Transaction(Target &db);
  ~Transaction();  // rolls back when still open; never throws
  Transaction(const Transaction &) = delete;
  Transaction &operator=(const Transaction &) = delete;
  void commit();

 private:
  Target &db_;
  bool open_ = false;
};

// A quoted identifier of the target's dialect (names of our own tables and
// of engine table columns: never user data, but quoting keeps words such as
// "rows" or "value" safe).
std::string quote_ident(const Target &db, std::string_view name);

// Whether the exception in flight is SQLite's "database is locked"
// (SQLITE_BUSY / SQLITE_LOCKED): another connection holds the write lock.
bool is_sqlite_busy(const std::exception &e);

}  // namespace cskpi
