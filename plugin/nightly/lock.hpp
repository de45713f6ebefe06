// The exclusive right to write snapshots into one target database, held for
// a whole nightly run so two runs never interleave.
#pragma once

#include <optional>

#include "nightly/target.hpp"

namespace cskpi {

// PostgreSQL: a session advisory lock (pg_try_advisory_lock) on the target
// session. The server drops it when the connection ends, so a crashed run
// never leaves it behind.
// SQLite: the database's write lock itself, a transaction opened with
// BEGIN IMMEDIATE. Everything the run writes goes into it (run row and
// snapshot) and release() commits it; other connections keep reading.
class RunLock {
 public:
  // Takes the lock without waiting (SQLite: the busy timeout set on db).
  // Throws BusyError when another run holds it.
  explicit RunLock(Target &db);
  ~RunLock();  // abandon()
  RunLock(const RunLock &) = delete;
  RunLock &operator=(const RunLock &) = delete;

  // Gives the lock back; on SQLite this commits what was written under it
  // and throws when that fails (the lock is then still held). Unlocking on
  // PostgreSQL never fails the run: a broken session has dropped the lock.
  void release();
  // Gives the lock back discarding what SQLite holds uncommitted under it;
  // best effort, never throws (a dead connection has released it anyway).
  void abandon() noexcept;

 private:
  void unlock_advisory() noexcept;
  Target &db_;
  bool advisory_ = false;                 // PostgreSQL: the advisory lock is held
  std::optional<Transaction> write_lock_;  // SQLite
};

// Key of the PostgreSQL advisory lock ("cskpi" in ASCII, then 1). A running
// job shows in pg_locks as locktype advisory, classid 1668508528, objid
// 1761607681.
inline constexpr long long kRunLockKey = 0x63736b7069000001LL;

}  // namespace cskpi
