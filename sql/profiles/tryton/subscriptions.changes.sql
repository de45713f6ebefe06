-- Tryton 6.0 profile: subscriptions, change capture (see subscriptions.sql
-- for what is read and why, and order_lines.changes.sql for how changes
-- are found).
-- cskpi:requires sale_subscription, sale_subscription_line, sale_subscription_recurrence_rule
-- The document is a subscription line ('<subscription id>-<line id>', as in
-- subscriptions.sql). A line counts as changed when, by
-- COALESCE(write_date, create_date), the line, its subscription (state, end
-- date, party), a rule of its consumption recurrence, or a party merged
-- into the subscription's party with the Replace wizard was written.
-- live = 1 exactly on the rows subscriptions.sql returns (running and
-- closed subscriptions); a removed line is found by subscriptions.documents.sql.
-- NOT seen here: new currency rates: the periodic full run covers them.
SELECT CAST(s.id AS TEXT) || '-' || CAST(l.id AS TEXT) AS subscription_id,
       CAST(s.party AS TEXT)                           AS customer_id,
       l.start_date                                    AS start_date,
       CASE WHEN l.end_date IS NULL THEN s.end_date
            WHEN s.end_date IS NULL OR l.end_date < s.end_date THEN l.end_date
            ELSE s.end_date END                        AS end_date,
       CAST(ROUND(
              CASE WHEN s.currency = co.currency THEN 1
                   ELSE (SELECT CAST(r.rate AS NUMERIC) FROM currency_currency_rate r
                          WHERE r.currency = co.currency AND r.date <= l.start_date
                          ORDER BY r.date DESC LIMIT 1)
                      / (SELECT CAST(r.rate AS NUMERIC) FROM currency_currency_rate r
                          WHERE r.currency = s.currency AND r.date <= l.start_date
                          ORDER BY r.date DESC LIMIT 1) END
              * ROUND(CAST(l.quantity AS NUMERIC) * CAST(l.unit_price AS NUMERIC), cur.digits)
              * COALESCE((SELECT SUM(
                     CASE r.freq WHEN 'yearly' THEN 1.0 / 12 WHEN 'monthly' THEN 1.0
                                 WHEN 'weekly' THEN 52.0 / 12 WHEN 'daily' THEN 365.0 / 12 END
                     * CASE WHEN r.freq = 'yearly' AND r.bymonth <> ''
                              THEN LENGTH(r.bymonth) - LENGTH(REPLACE(r.bymonth, ',', '')) + 1
                            WHEN r.freq = 'monthly' AND r.bymonthday <> ''
                              THEN LENGTH(r.bymonthday) - LENGTH(REPLACE(r.bymonthday, ',', '')) + 1
                            WHEN r.freq = 'weekly' AND r.byweekday <> ''
                              THEN LENGTH(r.byweekday) - LENGTH(REPLACE(r.byweekday, ',', '')) + 1
                            WHEN r.freq = 'daily' AND r.byweekday <> ''
                              THEN (LENGTH(r.byweekday) - LENGTH(REPLACE(r.byweekday, ',', '')) + 1) / 7.0
                            ELSE 1 END
                     / r.interval)
                   FROM sale_subscription_recurrence_rule r
                  WHERE r.set_ = l.consumption_recurrence
                    AND NOT COALESCE(r.exclusive, FALSE)), 0),
            ccur.digits) AS DOUBLE PRECISION)          AS mrr,
       CASE WHEN s.state IN ('running', 'closed') THEN 1 ELSE 0 END AS live
FROM sale_subscription_line l
JOIN sale_subscription s    ON s.id = l.subscription
JOIN company_company co     ON co.id = s.company
JOIN currency_currency cur  ON cur.id = s.currency
JOIN currency_currency ccur ON ccur.id = co.currency
WHERE COALESCE(l.write_date, l.create_date) >= :since
   OR COALESCE(s.write_date, s.create_date) >= :since
   OR EXISTS (SELECT 1 FROM sale_subscription_recurrence_rule c
               WHERE c.set_ = l.consumption_recurrence AND COALESCE(c.write_date, c.create_date) >= :since)
   OR EXISTS (SELECT 1 FROM party_party m
               WHERE m.replaced_by = s.party AND COALESCE(m.write_date, m.create_date) >= :since)
