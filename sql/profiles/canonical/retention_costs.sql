-- Profile `canonical`, source `retention_costs` (kpi-spec §1).
-- Reads a table or view named exactly like the source, with exactly the
-- canonical columns: the integration path for an ERP whose admin prefers to
-- write views. Spend on keeping customers (CS team, concessions).
-- Optional source: when no table or view of this name exists the source is
-- absent and its KPIs are unavailable (null), not 0.
-- Columns: cost_date (date), amount (real)
SELECT cost_date, amount FROM retention_costs
