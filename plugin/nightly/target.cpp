#include "nightly/target.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "source/database.hpp"

namespace cskpi {

Target::Target(const SourceSettings &settings)
    : settings_(settings), session_(open_session(settings, /*create_if_missing=*/true)) {}

Target::~Target() = default;

void Target::exec(const std::string &statement) { sql() << statement; }

void Target::set_busy_timeout_ms(int ms) {
  if (!postgres()) exec("PRAGMA busy_timeout = " + std::to_string(ms));
}

Transaction::Transaction(Target &db) : db_(db) {
  db_.exec(db_.postgres() ? "BEGIN" : "BEGIN IMMEDIATE");
  open_ = true;
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
    // The connection may be gone (the server then rolls back by itself); the
    // caller is already handling the error that got us here.
  }
}

void Transaction::commit() {
  // Still open if COMMIT fails (SQLite keeps a transaction whose COMMIT was
  // busy): the destructor then rolls it back.
  db_.exec("COMMIT");
  open_ = false;
}

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool is_sqlite_busy(const std::exception &e) {
  const auto *err = dynamic_cast<const soci::sqlite3_soci_error *>(&e);
  if (!err) return false;
  // Primary result codes (SOCI passes what sqlite3_step/exec returned).
  constexpr int kSqliteBusy = 5, kSqliteLocked = 6;
  int code = err->result() & 0xff;
  return code == kSqliteBusy || code == kSqliteLocked;
}

}  // namespace cskpi
