-- The customer-base models of docs/kpis.md §13, PostgreSQL: the clv,
-- clv_model, clv_validation and cohort_forecast tables, and the health score's p_alive component.
-- (Format rule: statements end with ';' at the end of a line, '--' comments
-- take whole lines.)

CREATE TABLE cskpi_clv (
  customer_id TEXT NOT NULL,
  segment TEXT NOT NULL,
  x BIGINT NOT NULL,
  t_x DOUBLE PRECISION NOT NULL,
  "T" DOUBLE PRECISION NOT NULL,
  monetary DOUBLE PRECISION,
  p_alive DOUBLE PRECISION,
  expected_purchases DOUBLE PRECISION,
  expected_order_value DOUBLE PRECISION,
  clv DOUBLE PRECISION,
  model TEXT NOT NULL,
  as_of DATE NOT NULL,
  run_id BIGINT NOT NULL,
  PRIMARY KEY (as_of, customer_id)
);

CREATE TABLE cskpi_clv_model (
  model TEXT NOT NULL,
  segment TEXT NOT NULL,
  r DOUBLE PRECISION,
  alpha DOUBLE PRECISION,
  a DOUBLE PRECISION,
  b DOUBLE PRECISION,
  p DOUBLE PRECISION,
  q DOUBLE PRECISION,
  gamma DOUBLE PRECISION,
  log_likelihood DOUBLE PRECISION,
  customers BIGINT NOT NULL,
  iterations BIGINT NOT NULL,
  converged BOOLEAN NOT NULL,
  reason TEXT,
  time_unit TEXT NOT NULL,
  as_of DATE NOT NULL,
  run_id BIGINT NOT NULL,
  PRIMARY KEY (as_of, model, segment)
);

CREATE TABLE cskpi_clv_validation (
  calibration_end DATE NOT NULL,
  frequency TEXT NOT NULL,
  customers BIGINT NOT NULL,
  predicted DOUBLE PRECISION,
  actual DOUBLE PRECISION NOT NULL,
  ratio DOUBLE PRECISION,
  converged BOOLEAN NOT NULL,
  as_of DATE NOT NULL,
  run_id BIGINT NOT NULL,
  PRIMARY KEY (as_of, frequency)
);

CREATE TABLE cskpi_cohort_forecast (
  granularity TEXT NOT NULL,
  cohort_start DATE NOT NULL,
  period_offset BIGINT NOT NULL,
  period_start DATE NOT NULL,
  size BIGINT NOT NULL,
  observed_retention DOUBLE PRECISION,
  projected_retention DOUBLE PRECISION,
  alpha DOUBLE PRECISION,
  beta DOUBLE PRECISION,
  converged BOOLEAN NOT NULL,
  reason TEXT,
  as_of DATE NOT NULL,
  run_id BIGINT NOT NULL,
  PRIMARY KEY (as_of, granularity, cohort_start, period_offset)
);

ALTER TABLE cskpi_health ADD COLUMN p_alive DOUBLE PRECISION;
