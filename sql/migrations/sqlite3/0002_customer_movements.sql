-- Snapshot of table customer_movements (docs/kpis.md §4.6), SQLite: the
-- customers behind the flow and revenue-movement KPIs of cskpi_kpi_value.
-- A customer may have several rows in one period (a churn and a
-- reactivation), and a row without a flow event has flow_event NULL, so the
-- table has no primary key; the index serves "who churned in this period".

CREATE TABLE cskpi_customer_movement (
  granularity TEXT NOT NULL,
  period_start TEXT NOT NULL,
  segment TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  flow_event TEXT,
  event_day TEXT,
  revenue_movement TEXT,
  v0 REAL,
  v1 REAL,
  amount REAL,
  as_of TEXT NOT NULL,
  run_id INTEGER NOT NULL
);
CREATE INDEX cskpi_customer_movement_period ON cskpi_customer_movement (as_of, granularity, period_start, segment);
