-- Odoo 16/17 profile: order_lines
-- Lines of confirmed sales orders: sale_order.state 'sale' (16 and 17) or
-- 'done' (16: locked orders; 17 has no 'done' state and uses a boolean
-- "locked" instead, so the same predicate serves both). Quotations ('draft',
-- 'sent') and cancelled orders ('cancel') are left out.
-- Lines: real product lines only: section and note lines (display_type set)
--   and down-payment lines (is_downpayment) are left out.
-- order_id: sale_order.id. customer_id: the commercial partner of the
--   order's customer (partner_id), as in customers.sql.
-- order_date: date_order (UTC timestamp; overwritten with the confirmation
--   time when the quotation is confirmed) read as an instant: its local date
--   follows the configured "timezone".
-- product_id: the product variant id (product_product).
-- category: the product category's full path, product_category.complete_name
--   ("All / Saleable / Office"), reached through product_product ->
--   product_template.categ_id; NULL (reported 'unknown') without a product.
-- amount: price_subtotal, the line's untaxed amount after discount, in the
--   order's currency; divided by sale_order.currency_rate (stored at the
--   order date: order-currency units per company-currency unit) to get the
--   company currency. Returns are not sales orders in Odoo (they are pickings
--   and credit notes): they appear in invoices.sql, not here.
-- Multi-company databases: add "AND so.company_id = <id>".
SELECT CAST(so.id AS TEXT)                             AS order_id,
       CAST(cp.commercial_partner_id AS TEXT)          AS customer_id,
       so.date_order AT TIME ZONE 'UTC'                AS order_date,
       CAST(l.product_id AS TEXT)                      AS product_id,
       pc.complete_name                                AS category,
       l.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
FROM sale_order_line l
JOIN sale_order so          ON so.id = l.order_id
JOIN res_partner cp         ON cp.id = so.partner_id
LEFT JOIN product_product pp  ON pp.id = l.product_id
LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
LEFT JOIN product_category pc ON pc.id = pt.categ_id
WHERE so.state IN ('sale', 'done')
  AND l.display_type IS NULL
  AND l.is_downpayment IS NOT TRUE
