-- Tryton 6.0 profile: order_lines, the sales that exist (in any state): a
-- sale cskpi holds that is not listed here was deleted.
SELECT CAST(s.id AS TEXT) AS document_id
FROM sale_sale s
