-- Tryton 6.0 profile: order_lines
-- Lines of confirmed sales: sale_sale.state 'confirmed', 'processing' or
-- 'done'. Drafts and quotations are not sales yet; cancelled sales never
-- were. A return (Return Sale wizard, or a complaint's return action) is a
-- sale of its own with negative quantities: it counts, negatively, once it
-- is confirmed. Only lines of type 'line' are sold goods or services
-- (subtotal, title and comment lines are layout).
-- order_id: the sale id; customer_id: the sale's party (not the invoice
--   party); order_date: sale_date (set at confirmation when left empty).
-- category: the product's category (template categories,
--   "product_template-product_category"), the one whose name sorts first;
--   without one, the product's accounting category (account_category);
--   free-text lines without a product have none ('unknown').
-- amount: quantity x unit_price rounded to the sale currency's digits, as
--   Tryton computes the line amount (unit_price is net of discounts when
--   sale_discount is installed), untaxed; converted to the company currency
--   at the sale date with Tryton's currency rates (rate of the company
--   currency / rate of the sale currency, latest rate on or before the
--   date); NULL (row reported in data quality) when a rate is missing.
-- Multi-company databases: add "AND s.company = <id>" to keep one company.
-- Standard SQL, runs on PostgreSQL and SQLite: CAST(... AS NUMERIC) turns
-- the PostgreSQL double precision quantity into numeric (ROUND(numeric, int)
-- only exists for numeric) and SQLite's text/BLOB Numeric into a number.
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
            END AS DOUBLE PRECISION) AS amount
FROM sale_line l
JOIN sale_sale s               ON s.id = l.sale
JOIN company_company co        ON co.id = s.company
JOIN currency_currency cur     ON cur.id = s.currency
JOIN currency_currency ccur    ON ccur.id = co.currency
LEFT JOIN product_product pp   ON pp.id = l.product
LEFT JOIN product_template pt  ON pt.id = pp.template
LEFT JOIN product_category ac  ON ac.id = pt.account_category
WHERE s.state IN ('confirmed', 'processing', 'done')
  AND l.type = 'line'
