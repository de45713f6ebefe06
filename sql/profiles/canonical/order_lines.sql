-- Profile `canonical`, source `order_lines` (kpi-spec §1).
-- Reads a table or view named exactly like the source, with exactly the
-- canonical columns: the integration path for an ERP whose admin prefers to
-- write views. Lines of confirmed (not draft, not cancelled) sales orders.
-- Columns: order_id (text), customer_id (text), order_date (date), product_id (text, null),
-- category (text, null: "unknown"), amount (real: net of discounts, without tax,
-- company currency; negative for returns)
SELECT order_id, customer_id, order_date, product_id, category, amount FROM order_lines
