// The nightly job's order of work and its failure handling (docs/nightly.md):
// open the target, migrate, lock, record the run, read, compute, write the
// snapshot in one transaction, record the outcome.
#include "nightly/nightly.hpp"

#include <chrono>
#include <optional>

#include <boost/json.hpp>
#include <soci/soci.h>
#include <soci/postgresql/soci-postgresql.h>

#include "core/errors.hpp"
#include "nightly/lock.hpp"
#include "nightly/migrations.hpp"
#include "nightly/model_plan.hpp"
#include "nightly/options.hpp"
#include "nightly/run_record.hpp"
#include "nightly/snapshot.hpp"
#include "nightly/target.hpp"
#include "nightly/writer.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"

namespace cskpi {
namespace {

using Clock = std::chrono::steady_clock;

// SQLite busy timeout while taking the run lock: it must fail fast when
// another run holds it. Once held, only COMMIT can wait (for readers to
// finish), for target.lock_timeout seconds.
constexpr int kLockWaitMs = 1000;

// SQLSTATE 55P03 lock_not_available: PostgreSQL's lock_timeout expired.
bool is_postgres_lock_timeout(const soci::soci_error &e) {
  const auto *pg = dynamic_cast<const soci::postgresql_soci_error *>(&e);
  return pg && pg->sqlstate() == "55P03";
}

enum LogLevel { kInfo = 1, kWarning = 2, kError = 3 };

// What a database library threw, as the plugin's own error naming the step;
// the plugin's errors pass unchanged.
std::exception_ptr translate(std::exception_ptr error, const std::string &step) {
  try {
    std::rethrow_exception(error);
  } catch (const soci::soci_error &e) {
    if (is_sqlite_busy(e))
      return std::make_exception_ptr(BusyError("another cskpi nightly run or another connection held the target "
                                               "SQLite database's write lock while " + step + "; nothing was written"));
    if (is_postgres_lock_timeout(e))
      return std::make_exception_ptr(BusyError("another session held a lock on a cskpi_* table of the target "
                                               "PostgreSQL database for longer than target.lock_timeout while " +
                                               step + " (" + e.get_error_message() + "); nothing was written"));
    // The message without SOCI's context (the whole statement, long for a
    // bulk insert): the step already says where.
    return std::make_exception_ptr(SourceError("nightly run failed while " + step + ": " + e.get_error_message()));
  } catch (...) {
    return error;
  }
}

std::string message_of(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception &e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

bool is_cancel(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const CancelledError &) {
    return true;
  } catch (...) {
    return false;
  }
}

std::string join_granularities(const std::vector<Granularity> &gs) {
  std::string out;
  for (Granularity g : gs) out += (out.empty() ? "" : ",") + std::string(granularity_name(g));
  return out;
}

std::string rows_read_json(const Dataset &data) {
  boost::json::object o;
  for (const auto &[source, rows] : data.rows_read) o[source] = rows;
  return boost::json::serialize(o);
}

Table summary_table(const RunRecord &run) {
  Table t("nightly_run");
  t.push_int(t.add_column("run_id", ColumnType::int64), run.id);
  t.push_date(t.add_column("as_of", ColumnType::date), run.as_of);
  t.push_text(t.add_column("status", ColumnType::text), run.status);
  t.push_int(t.add_column("kpi_rows", ColumnType::int64), run.kpi_rows);
  t.push_int(t.add_column("table_rows", ColumnType::int64), run.table_rows);
  t.push_int(t.add_column("duration_ms", ColumnType::int64), run.duration_ms);
  return t;
}

class NightlyJob {
 public:
  NightlyJob(Engine &engine, NightlyOptions options) : engine_(engine), options_(std::move(options)) {}

  Table run() {
    try {
      return run_steps();
    } catch (...) {
      std::rethrow_exception(translate(std::current_exception(), step_));
    }
  }

 private:
  Table run_steps();
  void read(RunRecord &run);
  void publish() noexcept;
  void snapshot(Target &db, RunRecord &run);
  void write(Target &db, RunRecord &run, const Snapshot &snap);
  void record_failure(Target &db, RunLock &lock, const RunRecord &run) noexcept;
  std::int64_t elapsed_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count();
  }

  Engine &engine_;
  NightlyOptions options_;
  ModelPlan plan_;
  Clock::time_point started_ = Clock::now();
  std::string step_ = "starting";  // for error messages
};

Table NightlyJob::run_steps() {
  const Settings &s = engine_.settings();
  step_ = "loading the profile";
  // A bad profile fails before the target is touched.
  const Profile profile = load_profile(s.source.profile, s.source.backend, {.parameters = s.source_parameters});
  // Snapshot tables have migrations for SQLite and PostgreSQL only: Target
  // refuses a MySQL target (a MySQL source needs one of those).
  step_ = "opening the target database";
  Target db(s.target, /*create_if_missing=*/s.target_given);
  db.set_busy_timeout_ms(kLockWaitMs);
  step_ = "applying the target's migrations";
  int applied = apply_migrations(db, [this](int done, int total) { engine_.progress("migrate", done, total); });
  if (applied > 0) engine_.log(kInfo, "nightly: applied " + std::to_string(applied) + " migration(s) to the target");
  step_ = "taking the run lock";
  RunLock lock(db);
  db.set_busy_timeout_ms(s.target.lock_timeout * 1000);
  step_ = "recording the run";
  close_abandoned_runs(db);
  RunRecord run;
  run.as_of = options_.as_of;
  run.granularities = join_granularities(options_.granularities);
  insert_run(db, run);
  try {
    step_ = "reading the saved model";
    plan_ = plan_model(db, s, profile, options_, [this](const std::string &m) { engine_.log(kWarning, m); });
    run.mode = plan_.incremental ? "incremental" : "full";
    run.fallback = plan_.fallback;
    snapshot(db, run);
    step_ = "committing";
    lock.release();
  } catch (...) {
    auto error = translate(std::current_exception(), step_);
    run.status = is_cancel(error) ? "cancelled" : "failed";
    run.error = message_of(error);
    run.duration_ms = elapsed_ms();
    record_failure(db, lock, run);
    std::rethrow_exception(error);
  }
  publish();
  engine_.log(kInfo, "nightly run " + std::to_string(run.id) + " as of " + format_day(run.as_of) + ": " +
                         std::to_string(run.kpi_rows) + " KPI rows and " + std::to_string(run.table_rows) +
                         " table rows written in " + std::to_string(run.duration_ms) + " ms");
  return summary_table(run);
}

// Reads the source, through the saved model when the plan says so. A
// changes or documents SELECT the database refuses turns an incremental run
// into a full one (its reason recorded), not into a failed night.
void NightlyJob::read(RunRecord &run) {
  if (!plan_.through_model) {
    engine_.dataset(options_.as_of, /*reload=*/true);
    return;
  }
  ModelLoad through{&plan_.model, plan_.incremental, engine_.settings().nightly.change_overlap_minutes};
  try {
    engine_.dataset(options_.as_of, /*reload=*/true, &through);
  } catch (const ProfileError &e) {
    if (!plan_.incremental) throw;
    engine_.log(kWarning, std::string("nightly: change capture failed, reading in full: ") + e.what());
    run.mode = "full";
    run.fallback = std::string("changes_failed: ") + e.what();
    plan_.incremental = through.incremental = false;
    plan_.model = incremental::Model{plan_.model.identity, {}, {}};
    engine_.dataset(options_.as_of, /*reload=*/true, &through);
  }
  if (!plan_.incremental && !plan_.model.sources.empty())
    plan_.model.full_read_at = plan_.model.sources.begin()->second.watermark;
}

void NightlyJob::snapshot(Target &db, RunRecord &run) {
  step_ = "reading the source";
  read(run);
  const Dataset &data = engine_.dataset(options_.as_of);
  run.rows_read = rows_read_json(data);
  step_ = "computing the tables";
  Snapshot snap = compute_snapshot(engine_, data, options_);
  if (plan_.through_model) {
    step_ = "saving the model";
    std::string sizes;
    for (const auto &[name, source] : plan_.model.sources)
      sizes += (sizes.empty() ? "" : ", ") + name + " " + std::to_string(source.rows.rows()) + " rows " +
               std::to_string(source.rows.bytes()) + " bytes";
    engine_.log(kInfo, "nightly: saving the model to " + plan_.path + " (" + sizes + ")");
    run.model_digest = save_model_tmp(plan_);
    if (incremental::model_save_fault) incremental::model_save_fault("commit");
  }
  step_ = "writing the snapshot";
  write(db, run, snap);
}

// The committed run's model becomes the saved one (the save protocol,
// docs/nightly.md "The model file"); a failure only costs the next run its
// increment.
void NightlyJob::publish() noexcept {
  if (!plan_.through_model) return;
  try {
    publish_model(plan_);
  } catch (const std::exception &e) {
    try {
      engine_.log(kWarning, std::string("nightly: the new model was not saved (the next run reads in full): ") +
                                e.what());
    } catch (...) {
    }
  }
}

// Replaces the as_of's rows of every snapshot table and marks the run
// succeeded, all in one transaction. On SQLite that transaction is the run
// lock itself (committed by RunLock::release); on PostgreSQL the run row was
// committed on its own and this is a transaction of its own.
void NightlyJob::write(Target &db, RunRecord &run, const Snapshot &snap) {
  const auto total = static_cast<std::int64_t>(snap.kpi_rows + snap.table_rows);
  std::int64_t done = 0;
  engine_.progress("write", 0, total);
  std::optional<Transaction> tx;
  if (db.dialect().locking == TargetDialect::Locking::advisory) tx.emplace(db);
  SnapshotWriter writer(db, run.as_of, run.id);
  for (const auto &target : snapshot_targets()) writer.delete_as_of(target);
  for (const auto &part : snap.parts) {
    step_ = "writing " + part.target;
    writer.insert(part.target, part.table, part.granularity, [&](std::size_t rows) {
      done += static_cast<std::int64_t>(rows);
      engine_.progress("write", done, total);
    });
  }
  step_ = "writing the snapshot";
  run.status = "succeeded";
  run.kpi_rows = static_cast<std::int64_t>(snap.kpi_rows);
  run.table_rows = static_cast<std::int64_t>(snap.table_rows);
  run.duration_ms = elapsed_ms();
  save_run(db, run);
  if (tx) tx->commit();
}

// Best effort after a failure: no snapshot row of this run stays, the run row
// says how it ended, the lock is free. The snapshot transaction is already
// rolled back (PostgreSQL); on SQLite it is the lock, dropped first. When the
// run's connection is broken, the outcome goes through a fresh one.
void NightlyJob::record_failure(Target &db, RunLock &lock, const RunRecord &run) noexcept {
  if (db.dialect().locking == TargetDialect::Locking::write_transaction) lock.abandon();
  try {
    save_run(db, run);
    lock.abandon();
    return;
  } catch (...) {
    lock.abandon();
  }
  try {
    Target fresh(db.settings());
    save_run(fresh, run);
  } catch (const std::exception &e) {
    try {
      engine_.log(kError, "nightly: could not record the outcome of run " + std::to_string(run.id) + ": " + e.what());
    } catch (...) {
      // The original error is what the caller needs; this one stays in the log only.
    }
  }
}

}  // namespace

Table run_nightly(Engine &engine, const std::string &options_json) {
  return NightlyJob(engine, parse_nightly_options(options_json, engine.settings())).run();
}

}  // namespace cskpi
