-- From the header (a changed order without lines still gives a row); an
-- order changed when it or one of its lines was written since :since.
SELECT CAST(o.id AS TEXT) AS order_id, CAST(o.partner_id AS TEXT) AS customer_id, o.date_order AS order_date,
       l.category AS category, l.amount AS amount, CAST(l.product_id AS TEXT) AS product_id,
       CASE WHEN o.state = 'sale' AND l.id IS NOT NULL THEN 1 ELSE 0 END AS live
FROM sale_order o
LEFT JOIN sale_order_line l ON l.order_id = o.id
WHERE o.write_date >= :since
   OR o.id IN (SELECT order_id FROM sale_order_line WHERE write_date >= :since)
ORDER BY o.id, l.id
