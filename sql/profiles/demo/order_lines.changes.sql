-- demo profile: order_lines, change capture (see order_lines.sql for what is
-- read and why, and docs/nightly.md "Incremental runs").
-- Every order changed since the parameter "since" (UTC text that cskpi
-- binds: the previous run's watermark minus nightly.change_overlap_minutes;
-- written colon-since in the WHERE clause below, and never in a comment,
-- where the database driver would take it for a parameter too), whole: all
-- its lines, with live = 1 exactly on the rows order_lines.sql returns. An order
-- counts as changed when
--   * its header was written (state, customer, date, currency: write_date),
--   * one of its lines was written (sale_order_line.write_date); a deleted
--     line leaves no trace of its own, but the ERP saves the order with it,
--   * the partner it is filed under was written (a contact moved to another
--     company changes the order's customer_id).
-- Orders without lines left give one row (line columns NULL, live = 0), so
-- a cancelled, re-drafted or emptied order still says "changed" and leaves
-- cskpi's model. Edits of products and categories are not seen here (they
-- rename every order's category): the periodic full run covers them.
SELECT CAST(o.id AS TEXT)                                   AS order_id,
       CAST(COALESCE(p.parent_id, o.partner_id) AS TEXT)    AS customer_id,
       o.date_order                                         AS order_date,
       CAST(l.product_id AS TEXT)                           AS product_id,
       COALESCE(fam.name, cat.name)                         AS category,
       CAST(ROUND(ROUND(l.product_uom_qty * l.price_unit * (100.0 - l.discount) / 100.0, 2)
                  * o.currency_rate, 2) AS DOUBLE PRECISION) AS amount,
       CASE WHEN l.id IS NOT NULL AND o.state IN ('confirmed', 'done')
                 AND l.display_type IS NULL THEN 1 ELSE 0 END AS live
FROM sale_order o
LEFT JOIN sale_order_line l   ON l.order_id = o.id
LEFT JOIN res_partner p       ON p.id = o.partner_id
LEFT JOIN product_product pr  ON pr.id = l.product_id
LEFT JOIN product_category cat ON cat.id = pr.categ_id
LEFT JOIN product_category fam ON fam.id = cat.parent_id
WHERE o.write_date >= :since
   OR p.write_date >= :since
   OR EXISTS (SELECT 1 FROM sale_order_line c WHERE c.order_id = o.id AND c.write_date >= :since)
