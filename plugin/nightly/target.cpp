#include "nightly/target.hpp"

#include <vector>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "core/errors.hpp"
#include "source/database.hpp"

namespace cskpi {
namespace {

using Locking = TargetDialect::Locking;
using BulkInsert = TargetDialect::BulkInsert;

const TargetDialect kTargetDialects[] = {
    {
        .dialect = Dialect::sqlite3,
        .locking = Locking::write_transaction,
        .begin_write = "BEGIN IMMEDIATE",
        .busy_timeout_pragma = "PRAGMA busy_timeout",
        .now = "strftime('%Y-%m-%d %H:%M:%S', 'now')",
        .date_cast_open = "",
        .date_cast_close = "",
        .version_table_exists =
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'cskpi_schema_version'",
        .applied_at_column = "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))",
        .bulk_insert = BulkInsert::prepared_rows,
    },
    {
        .dialect = Dialect::postgresql,
        .locking = Locking::advisory,
        .begin_write = "BEGIN",
        .busy_timeout_pragma = nullptr,
        .now = "clock_timestamp()",
        .date_cast_open = "CAST(",
        .date_cast_close = " AS date)",
        .version_table_exists = "SELECT CASE WHEN to_regclass('cskpi_schema_version') IS NULL THEN 0 ELSE 1 END",
        .applied_at_column = "applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()",
        .bulk_insert = BulkInsert::unnest_arrays,
    },
};

const TargetDialect &target_dialect_of(const SourceSettings &settings) {
  const Dialect d = parse_dialect(settings.backend);
  if (const auto *t = find_target_dialect(d)) return *t;
  throw ConfigError("the nightly job writes into a " + target_dialect_choices() + " target (got '" + settings.backend +
                    "'): set \"target\" in the configuration");
}

}  // namespace

const TargetDialect *find_target_dialect(Dialect d) {
  for (const auto &t : kTargetDialects)
    if (t.dialect == d) return &t;
  return nullptr;
}

std::string target_dialect_choices() {
  std::vector<Dialect> ds;
  for (const auto &t : kTargetDialects) ds.push_back(t.dialect);
  return join_dialects(ds);
}

std::string TargetDialect::date_param(std::string_view name) const {
  return date_cast_open + std::string(":") + std::string(name) + date_cast_close;
}

Target::Target(const SourceSettings &settings, bool create_if_missing)
    : settings_(settings),
      dialect_(target_dialect_of(settings)),
      session_(open_session(settings, create_if_missing ? OpenMode::write_or_create : OpenMode::write_existing)) {}

Target::~Target() = default;

void Target::exec(const std::string &statement) { sql() << statement; }

void Target::set_busy_timeout_ms(int ms) {
  if (dialect_.busy_timeout_pragma) exec(dialect_.busy_timeout_pragma + std::string(" = ") + std::to_string(ms));
}

Transaction::Transaction(Target &db) : db_(db) {
  db_.exec(db_.dialect().begin_write);
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

std::string quote_ident(const Target &db, std::string_view name) { return quote_ident(db.dialect().dialect, name); }

bool is_sqlite_busy(const std::exception &e) {
  const auto *err = dynamic_cast<const soci::sqlite3_soci_error *>(&e);
  if (!err) return false;
  // Primary result codes (SOCI passes what sqlite3_step/exec returned).
  constexpr int kSqliteBusy = 5, kSqliteLocked = 6;
  int code = err->result() & 0xff;
  return code == kSqliteBusy || code == kSqliteLocked;
}

}  // namespace cskpi
