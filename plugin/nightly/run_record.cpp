#include "nightly/run_record.hpp"

#include <soci/soci.h>

namespace cskpi {
namespace {

// The database's own clock, as the column type wants it.
const char *now_sql(const Target &db) { return db.dialect().now; }

}  // namespace

void insert_run(Target &db, RunRecord &run) {
  std::string as_of = format_day(run.as_of);
  std::string version = CSKPI_VERSION_STRING;
  std::string status = "running";
  long long id = 0;
  db.sql() << std::string("INSERT INTO cskpi_run (as_of, status, granularities, cskpi_version) ") +
                  "VALUES (" + db.dialect().date_param("as_of") + ", :status, :g, :v)" +
                  " RETURNING id",
      soci::use(as_of), soci::use(status), soci::use(run.granularities), soci::use(version), soci::into(id);
  run.id = id;
  run.status = status;
}

void save_run(Target &db, const RunRecord &run) {
  long long id = run.id, kpi_rows = run.kpi_rows, table_rows = run.table_rows, duration = run.duration_ms;
  std::string as_of = format_day(run.as_of), version = CSKPI_VERSION_STRING;
  soci::indicator rows_ind = run.rows_read.empty() ? soci::i_null : soci::i_ok;
  soci::indicator error_ind = run.error.empty() ? soci::i_null : soci::i_ok;
  std::string date = db.dialect().date_param("as_of");
  soci::indicator fallback_ind = run.fallback.empty() ? soci::i_null : soci::i_ok;
  soci::indicator digest_ind = run.model_digest.empty() ? soci::i_null : soci::i_ok;
  db.sql() << "INSERT INTO cskpi_run (id, as_of, status, granularities, cskpi_version, rows_read, kpi_rows,"
              " table_rows, duration_ms, error, mode, fallback, model_digest, finished_at) VALUES (:id, " +
                  date + ", :status, :g, :v, :rows_read, :kpi_rows, :table_rows, :duration, :error, :mode,"
                  " :fallback, :digest, " + now_sql(db) +
                  ") ON CONFLICT (id) DO UPDATE SET status = excluded.status, rows_read = excluded.rows_read,"
                  " kpi_rows = excluded.kpi_rows, table_rows = excluded.table_rows,"
                  " duration_ms = excluded.duration_ms, error = excluded.error, mode = excluded.mode,"
                  " fallback = excluded.fallback, model_digest = excluded.model_digest,"
                  " finished_at = excluded.finished_at",
      soci::use(id), soci::use(as_of), soci::use(run.status), soci::use(run.granularities), soci::use(version),
      soci::use(run.rows_read, rows_ind), soci::use(kpi_rows), soci::use(table_rows), soci::use(duration),
      soci::use(run.error, error_ind), soci::use(run.mode), soci::use(run.fallback, fallback_ind),
      soci::use(run.model_digest, digest_ind);
}

void close_abandoned_runs(Target &db) {
  db.exec(std::string("UPDATE cskpi_run SET status = 'failed', finished_at = ") + now_sql(db) +
          ", error = 'abandoned: the run ended without recording an outcome (process or connection lost)'"
          " WHERE status = 'running'");
}

}  // namespace cskpi
