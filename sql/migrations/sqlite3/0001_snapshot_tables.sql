-- cskpi nightly snapshot tables (docs/nightly.md), SQLite: dates are
-- 'YYYY-MM-DD' TEXT, booleans INTEGER 0/1, timestamps 'YYYY-MM-DD HH:MM:SS' UTC TEXT.
-- Applied once by the plugin (cskpi_schema_version), in one transaction.
-- Format rule of every migration file: statements end with ';' at the end of
-- a line, and '--' comments take whole lines (the plugin splits on that).
--
-- Every snapshot table holds the columns of its engine table plus as_of (the
-- snapshot) and run_id (the cskpi_run that wrote it); tables computed per
-- granularity also carry granularity. A rerun of the same as_of replaces the
-- snapshot's rows; the primary keys make a duplicate impossible.

CREATE TABLE cskpi_run (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
  finished_at TEXT,
  as_of TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  granularities TEXT NOT NULL,
  rows_read TEXT,
  kpi_rows INTEGER,
  table_rows INTEGER,
  duration_ms INTEGER,
  error TEXT,
  cskpi_version TEXT NOT NULL
);
CREATE INDEX cskpi_run_as_of ON cskpi_run (as_of);

CREATE TABLE cskpi_kpi_value (
  kpi TEXT NOT NULL,
  granularity TEXT NOT NULL,
  period_start TEXT NOT NULL,
  segment TEXT NOT NULL,
  value REAL,
  partial INTEGER NOT NULL,
  value_previous REAL,
  change_previous REAL,
  change_rate_previous REAL,
  value_year_ago REAL,
  change_year_ago REAL,
  change_rate_year_ago REAL,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, granularity, kpi, segment, period_start)
);
-- History of one series across snapshots (the primary key serves one as_of).
CREATE INDEX cskpi_kpi_value_series ON cskpi_kpi_value (kpi, granularity, segment, period_start);

CREATE TABLE cskpi_cohort_retention (
  granularity TEXT NOT NULL,
  cohort_start TEXT NOT NULL,
  period_offset INTEGER NOT NULL,
  period_start TEXT NOT NULL,
  segment TEXT NOT NULL,
  size INTEGER,
  retained INTEGER,
  rate REAL,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, granularity, segment, cohort_start, period_offset)
);

CREATE TABLE cskpi_cohort_revenue (
  granularity TEXT NOT NULL,
  cohort_start TEXT NOT NULL,
  period_offset INTEGER NOT NULL,
  period_start TEXT NOT NULL,
  segment TEXT NOT NULL,
  revenue REAL,
  base_revenue REAL,
  ratio REAL,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, granularity, segment, cohort_start, period_offset)
);

CREATE TABLE cskpi_ticket_breakdown (
  granularity TEXT NOT NULL,
  period_start TEXT NOT NULL,
  dimension TEXT NOT NULL,
  value TEXT NOT NULL,
  tickets_opened INTEGER,
  share REAL,
  tickets_opened_previous INTEGER,
  change INTEGER,
  change_rate REAL,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, granularity, period_start, dimension, value)
);

CREATE TABLE cskpi_health (
  customer_id TEXT NOT NULL,
  segment TEXT NOT NULL,
  score REAL,
  band TEXT,
  recency REAL,
  frequency REAL,
  monetary REAL,
  support REAL,
  voice REAL,
  payment REAL,
  revenue_365d REAL,
  days_since_last_order INTEGER,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, customer_id)
);
CREATE INDEX cskpi_health_band ON cskpi_health (as_of, band, score);

CREATE TABLE cskpi_detractor_followup (
  granularity TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  segment TEXT NOT NULL,
  answered_on TEXT,
  score INTEGER,
  open_tickets INTEGER,
  revenue_365d REAL,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, granularity, customer_id)
);

CREATE TABLE cskpi_data_quality (
  source TEXT NOT NULL,
  reason TEXT NOT NULL,
  rows INTEGER,
  action TEXT,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, source, reason)
);
