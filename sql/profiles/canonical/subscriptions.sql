-- Profile `canonical`, source `subscriptions` (kpi-spec §1).
-- Reads a table or view named exactly like the source, with exactly the
-- canonical columns: the integration path for an ERP whose admin prefers to
-- write views. Contracts, for the subscription modes.
-- Optional source: when no table or view of this name exists the source is
-- absent and its KPIs are unavailable (null), not 0.
-- Columns: subscription_id (text), customer_id (text), start_date (date),
-- end_date (date, null = open; exclusive), mrr (real)
SELECT subscription_id, customer_id, start_date, end_date, mrr FROM subscriptions
