-- demo profile: subscriptions, change capture (see subscriptions.sql for
-- what is read and why, and order_lines.changes.sql for how changes are
-- found). A contract counts as changed when it was written (started,
-- closed, upgraded, re-priced) or when its partner was written. live = 1
-- exactly on the rows subscriptions.sql returns (in_progress and closed).
-- Standard SQL, PostgreSQL runs it as is; sqlite3/subscriptions.changes.sql
-- adds the day with SQLite's date().
SELECT CAST(s.id AS TEXT)                                AS subscription_id,
       CAST(COALESCE(p.parent_id, s.partner_id) AS TEXT) AS customer_id,
       s.date_start                                      AS start_date,
       CAST(s.date_end + INTERVAL '1' DAY AS DATE)       AS end_date,
       CAST(ROUND(s.recurring_total * s.currency_rate
                  / CASE s.recurring_rule_type WHEN 'yearly' THEN 12.0
                                               WHEN 'quarterly' THEN 3.0 ELSE 1.0 END, 2)
            AS DOUBLE PRECISION)                         AS mrr,
       CASE WHEN s.state IN ('in_progress', 'closed') THEN 1 ELSE 0 END AS live
FROM sale_subscription s
LEFT JOIN res_partner p ON p.id = s.partner_id
WHERE s.write_date >= :since
   OR p.write_date >= :since
