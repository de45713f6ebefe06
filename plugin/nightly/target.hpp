// The target database of the nightly job: one SOCI session plus the few
// things that differ between SQLite and PostgreSQL.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/settings.hpp"

namespace soci { class session; }

namespace cskpi {

class Target {
 public:
  // Opens the target (a missing SQLite file is created: the plugin owns what
  // it writes there). Throws SourceError / ConfigError.
  explicit Target(const SourceSettings &settings);
  ~Target();
  Target(const Target &) = delete;
  Target &operator=(const Target &) = delete;

  const SourceSettings &settings() const { return settings_; }
  bool postgres() const { return settings_.backend == "postgresql"; }
  soci::session &sql() { return *session_; }
  // Runs one statement without parameters or results.
  void exec(const std::string &statement);

  // SQLite: how long a statement waits for another connection's lock before
  // failing with SQLITE_BUSY. No-op on PostgreSQL.
  void set_busy_timeout_ms(int ms);

 private:
  SourceSettings settings_;
  std::unique_ptr<soci::session> session_;
};

// A transaction, rolled back unless committed: BEGIN on PostgreSQL, BEGIN
// IMMEDIATE on SQLite (the write lock is taken at once, so a busy database
// fails here rather than halfway through).
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

// The identifier in double quotes (names of our own tables and of engine
// table columns: never user data, but quoting keeps words such as "rows" or
// "value" safe in both dialects).
std::string quote_ident(std::string_view name);

// Whether the exception in flight is SQLite's "database is locked"
// (SQLITE_BUSY / SQLITE_LOCKED): another connection holds the write lock.
bool is_sqlite_busy(const std::exception &e);

}  // namespace cskpi
