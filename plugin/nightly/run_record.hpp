// The cskpi_run row of one nightly run: what ran, when, and how it ended.
#pragma once

#include <cstdint>
#include <string>

#include "core/calendar.hpp"
#include "nightly/target.hpp"

namespace cskpi {

struct RunRecord {
  std::int64_t id = 0;
  Day as_of = kNoDay;
  std::string granularities;  // "month,week"
  std::string status = "running";  // running | succeeded | failed | cancelled
  std::string rows_read;      // JSON object source -> rows read; empty = null
  std::int64_t kpi_rows = 0;  // rows written into cskpi_kpi_value
  std::int64_t table_rows = 0;  // rows written into the other snapshot tables
  std::int64_t duration_ms = 0;
  std::string error;          // empty = null
  // How the sources were read (docs/nightly.md "Incremental runs").
  std::string mode = "full";  // full | incremental
  std::string fallback;       // why a run was full that could have been incremental; empty = null
  std::string model_digest;   // checksum of the model file this run saved; empty = null
};

// Inserts the row with status running and sets run.id.
void insert_run(Target &db, RunRecord &run);

// Writes the run's outcome (status, counts, duration, error, finished_at).
// An upsert by id, so it also works on a fresh connection where the row was
// never committed (SQLite inserts it under the lock transaction, which a
// failure rolls back).
void save_run(Target &db, const RunRecord &run);

// Marks as failed the runs still 'running': a process or connection that died
// before recording an outcome. Only called under the run lock, when no run can
// really be running.
void close_abandoned_runs(Target &db);

}  // namespace cskpi
