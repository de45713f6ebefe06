-- demo profile: order_lines
-- Lines of confirmed sales orders: state 'confirmed' or 'done'. Quotations
-- (draft, sent) and cancelled orders are not sales. Section and note lines
-- (display_type set) are layout, not sales, and are left out.
-- customer_id: orders may be filed under a contact person; the customer is
-- the contact's company (parent_id). An order whose partner no longer exists
-- keeps its raw partner id, so cskpi reports it as an unknown customer.
-- category is the product family (the top of the two-level product tree);
-- free-text lines without a product have none (reported as 'unknown').
-- amount: the line subtotal qty x unit price x (1 - discount %), rounded to
-- cents in the order currency as the ERP does, then converted to the company
-- currency (EUR) with the order's rate; untaxed. Return orders have negative
-- quantities, hence negative amounts.
SELECT CAST(o.id AS TEXT)                                   AS order_id,
       CAST(COALESCE(p.parent_id, o.partner_id) AS TEXT)    AS customer_id,
       o.date_order                                         AS order_date,
       CAST(l.product_id AS TEXT)                           AS product_id,
       COALESCE(fam.name, cat.name)                         AS category,
       CAST(ROUND(ROUND(l.product_uom_qty * l.price_unit * (100.0 - l.discount) / 100.0, 2)
                  * o.currency_rate, 2) AS DOUBLE PRECISION) AS amount
FROM sale_order_line l
JOIN sale_order o             ON o.id = l.order_id
LEFT JOIN res_partner p       ON p.id = o.partner_id
LEFT JOIN product_product pr  ON pr.id = l.product_id
LEFT JOIN product_category cat ON cat.id = pr.categ_id
LEFT JOIN product_category fam ON fam.id = cat.parent_id
WHERE o.state IN ('confirmed', 'done')
  AND l.display_type IS NULL
