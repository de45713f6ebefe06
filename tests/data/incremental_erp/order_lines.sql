SELECT CAST(o.id AS TEXT) AS order_id, CAST(o.partner_id AS TEXT) AS customer_id, o.date_order AS order_date,
       l.category AS category, l.amount AS amount, CAST(l.product_id AS TEXT) AS product_id
FROM sale_order o
JOIN sale_order_line l ON l.order_id = o.id
WHERE o.state = 'sale'
ORDER BY o.id, l.id
