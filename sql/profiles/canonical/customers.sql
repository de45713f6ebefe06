-- Profile `canonical`, source `customers` (kpi-spec §1).
-- Reads a table or view named exactly like the source, with exactly the
-- canonical columns: the integration path for an ERP whose admin prefers to
-- write views. Every customer.
-- Columns: customer_id (text), name (text), created_on (date, null),
-- segment (text, null: reported as "unassigned")
SELECT customer_id, name, created_on, segment FROM customers
