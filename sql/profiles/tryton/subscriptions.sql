-- Tryton 6.0 profile: subscriptions
-- cskpi:requires sale_subscription, sale_subscription_line, sale_subscription_recurrence_rule
-- (module sale_subscription: without it the source is absent, not an error)
-- One row per line of the subscriptions that run or ran: sale_subscription
-- state 'running' or 'closed' (draft and quotation never ran; cancelled
-- ones were cancelled before running). Lines have their own start and end
-- dates (a line added later starts later), so each line is a contract of
-- its own: subscription_id = '<subscription id>-<line id>'.
-- customer_id: the subscription's party.
-- start_date: the line's start date.
-- end_date: the earlier of the line's and the subscription's end dates; NULL
--   = open. Tryton consumes a service on dates strictly before the end date,
--   so it already is the first day without service (exclusive), as cskpi
--   wants.
-- mrr: each occurrence of the line's consumption recurrence consumes
--   quantity units, billed at unit_price; monthly value = quantity x
--   unit_price (rounded to the currency's digits) x occurrences per month of
--   the recurrence rule set: the sum over its non-exclusive rules of
--   yearly 1/12, monthly 1, weekly 52/12, daily 365/12, divided by the
--   rule's interval, times the number of listed bymonth (yearly),
--   bymonthday (monthly) or byweekday (weekly; daily: n/7) values.
--   APPROXIMATION: other by* filters (bysetpos, byyearday, byweekno,
--   byweekday on monthly rules) and exclusion rules are ignored. A line
--   without consumption recurrence is never invoiced by Tryton: mrr 0.
--   Converted to the company currency at the line's start date.
-- Multi-company databases: add "AND s.company = <id>".
-- Standard SQL, runs on PostgreSQL and SQLite.
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
            ccur.digits) AS DOUBLE PRECISION)          AS mrr
FROM sale_subscription_line l
JOIN sale_subscription s    ON s.id = l.subscription
JOIN company_company co     ON co.id = s.company
JOIN currency_currency cur  ON cur.id = s.currency
JOIN currency_currency ccur ON ccur.id = co.currency
WHERE s.state IN ('running', 'closed')
