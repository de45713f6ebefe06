-- Profile `canonical`, source `feedback` (kpi-spec §1).
-- Reads a table or view named exactly like the source, with exactly the
-- canonical columns: the integration path for an ERP whose admin prefers to
-- write views. Survey answers.
-- Optional source: when no table or view of this name exists the source is
-- absent and its KPIs are unavailable (null), not 0.
-- Columns: feedback_id (text), customer_id (text, null), answered_at (timestamp),
-- kind (text: 'nps', 'csat' or 'ces'), score (int), ticket_id (text, null)
-- Timestamps are UTC unless the configuration says "timestamps": "local".
SELECT feedback_id, customer_id, answered_at, kind, score, ticket_id FROM feedback
