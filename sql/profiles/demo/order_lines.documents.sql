-- demo profile: order_lines, the orders that exist (in any state): an
-- order cskpi holds that is not listed here was deleted from the ERP.
SELECT CAST(o.id AS TEXT) AS document_id
FROM sale_order o
