-- The customer-base models of docs/kpis.md §13, SQLite: the clv,
-- clv_model, clv_validation and cohort_forecast tables, and the health score's p_alive component.
-- (Format rule: statements end with ';' at the end of a line, '--' comments
-- take whole lines.)

CREATE TABLE cskpi_clv (
  customer_id TEXT NOT NULL,
  segment TEXT NOT NULL,
  x INTEGER NOT NULL,
  t_x REAL NOT NULL,
  "T" REAL NOT NULL,
  monetary REAL,
  p_alive REAL,
  expected_purchases REAL,
  expected_order_value REAL,
  clv REAL,
  model TEXT NOT NULL,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, customer_id)
);

CREATE TABLE cskpi_clv_model (
  model TEXT NOT NULL,
  segment TEXT NOT NULL,
  r REAL,
  alpha REAL,
  a REAL,
  b REAL,
  p REAL,
  q REAL,
  gamma REAL,
  log_likelihood REAL,
  customers INTEGER NOT NULL,
  iterations INTEGER NOT NULL,
  converged INTEGER NOT NULL,
  reason TEXT,
  time_unit TEXT NOT NULL,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, model, segment)
);

CREATE TABLE cskpi_clv_validation (
  calibration_end TEXT NOT NULL,
  frequency TEXT NOT NULL,
  customers INTEGER NOT NULL,
  predicted REAL,
  actual REAL NOT NULL,
  ratio REAL,
  converged INTEGER NOT NULL,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, frequency)
);

CREATE TABLE cskpi_cohort_forecast (
  granularity TEXT NOT NULL,
  cohort_start TEXT NOT NULL,
  period_offset INTEGER NOT NULL,
  period_start TEXT NOT NULL,
  size INTEGER NOT NULL,
  observed_retention REAL,
  projected_retention REAL,
  alpha REAL,
  beta REAL,
  converged INTEGER NOT NULL,
  reason TEXT,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY (as_of, granularity, cohort_start, period_offset)
);

ALTER TABLE cskpi_health ADD COLUMN p_alive REAL;
