#include "nightly/lock.hpp"

#include <soci/soci.h>

#include "core/errors.hpp"

namespace cskpi {
namespace {

const char *const kBusyMessage = "another cskpi nightly run is in progress on the target database";

void lock_postgres(Target &db) {
  int got = 0;
  db.sql() << "SELECT CASE WHEN pg_try_advisory_lock(" + std::to_string(kRunLockKey) + ") THEN 1 ELSE 0 END",
      soci::into(got);
  if (!got)
    throw BusyError(std::string(kBusyMessage) + " (it holds PostgreSQL advisory lock " + std::to_string(kRunLockKey) +
                    "); nothing was written");
}

}  // namespace

RunLock::RunLock(Target &db) : db_(db) {
  if (db_.dialect().locking == TargetDialect::Locking::advisory) {
    lock_postgres(db_);
    advisory_ = true;
    return;
  }
  try {
    write_lock_.emplace(db_);
  } catch (const std::exception &e) {
    if (!is_sqlite_busy(e)) throw;
    throw BusyError(std::string(kBusyMessage) + " (or another connection holds its SQLite write lock); nothing was written");
  }
}

RunLock::~RunLock() { abandon(); }

void RunLock::release() {
  if (write_lock_) {
    write_lock_->commit();
    write_lock_.reset();
  }
  unlock_advisory();
}

void RunLock::abandon() noexcept {
  write_lock_.reset();  // rolls back, never throws
  unlock_advisory();
}

void RunLock::unlock_advisory() noexcept {
  if (!advisory_) return;
  advisory_ = false;
  try {
    int released = 0;
    db_.sql() << "SELECT CASE WHEN pg_advisory_unlock(" + std::to_string(kRunLockKey) + ") THEN 1 ELSE 0 END",
        soci::into(released);
  } catch (...) {
    // A broken connection: the server dropped the lock with the session.
  }
}

}  // namespace cskpi
