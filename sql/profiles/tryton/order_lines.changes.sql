-- Tryton 6.0 profile: order_lines, change capture (see order_lines.sql for
-- what is read and why, and docs/profiles/README.md "Change capture").
-- Every sale changed since the "since" parameter (UTC, bound by cskpi),
-- whole: all its lines, live = 1 exactly on the rows order_lines.sql
-- returns. Tryton sets create_date on creation and write_date on every
-- later write (NULL until then), so "changed" is COALESCE(write_date,
-- create_date) of
--   * the sale (state, party, sale date, currency; deleting a line from the
--     sale form writes the sale too),
--   * one of its lines,
--   * a party merged into the sale's party with the Replace wizard (the
--     wizard moves the sales with plain SQL, which leaves their write_date;
--     the merged party itself is written).
-- A sale without lines gives one row (line columns NULL, live = 0).
-- NOT seen here: new currency rates, product or category edits (they
-- change the amounts or categories of old sales): the periodic full run
-- (nightly.full_every_days) covers them, or run `cskpi nightly --full`.
SELECT CAST(s.id AS TEXT)        AS order_id,
       CAST(s.party AS TEXT)     AS customer_id,
       s.sale_date               AS order_date,
       CAST(l.product AS TEXT)   AS product_id,
       COALESCE((SELECT MIN(pc.name)
                   FROM "product_template-product_category" tc
                   JOIN product_category pc ON pc.id = tc.category
                  WHERE tc.template = pp.template),
                ac.name)         AS category,
       CAST(CASE WHEN s.currency = co.currency
                 THEN ROUND(CAST(l.quantity AS NUMERIC) * CAST(l.unit_price AS NUMERIC), cur.digits)
                 ELSE ROUND(ROUND(CAST(l.quantity AS NUMERIC) * CAST(l.unit_price AS NUMERIC), cur.digits)
                            * (SELECT CAST(r.rate AS NUMERIC) FROM currency_currency_rate r
                                WHERE r.currency = co.currency AND r.date <= s.sale_date
                                ORDER BY r.date DESC LIMIT 1)
                            / (SELECT CAST(r.rate AS NUMERIC) FROM currency_currency_rate r
                                WHERE r.currency = s.currency AND r.date <= s.sale_date
                                ORDER BY r.date DESC LIMIT 1),
                            ccur.digits)
            END AS DOUBLE PRECISION) AS amount,
       CASE WHEN l.id IS NOT NULL AND s.state IN ('confirmed', 'processing', 'done')
                 AND l.type = 'line' THEN 1 ELSE 0 END AS live
FROM sale_sale s
JOIN company_company co        ON co.id = s.company
JOIN currency_currency cur     ON cur.id = s.currency
JOIN currency_currency ccur    ON ccur.id = co.currency
LEFT JOIN sale_line l          ON l.sale = s.id
LEFT JOIN product_product pp   ON pp.id = l.product
LEFT JOIN product_template pt  ON pt.id = pp.template
LEFT JOIN product_category ac  ON ac.id = pt.account_category
WHERE COALESCE(s.write_date, s.create_date) >= :since
   OR EXISTS (SELECT 1 FROM sale_line c
               WHERE c.sale = s.id AND COALESCE(c.write_date, c.create_date) >= :since)
   OR EXISTS (SELECT 1 FROM party_party m
               WHERE m.replaced_by = s.party AND COALESCE(m.write_date, m.create_date) >= :since)
