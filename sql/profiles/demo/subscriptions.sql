-- demo profile: subscriptions
-- Contracts that ran: in_progress and closed. Quotations (draft) and
-- contracts cancelled before they started never ran.
-- end_date: cskpi wants the first day without service (exclusive); the ERP
-- stores the last day of service, so one day is added (standard SQL here,
-- PostgreSQL runs it as is; sqlite3/subscriptions.sql uses SQLite's date()).
-- NULL = open-ended.
-- mrr: recurring_total is billed per recurring_rule_type period; monthly
-- value = total / months per period, converted to company currency (EUR).
SELECT CAST(s.id AS TEXT)                                AS subscription_id,
       CAST(COALESCE(p.parent_id, s.partner_id) AS TEXT) AS customer_id,
       s.date_start                                      AS start_date,
       CAST(s.date_end + INTERVAL '1' DAY AS DATE)       AS end_date,
       CAST(ROUND(s.recurring_total * s.currency_rate
                  / CASE s.recurring_rule_type WHEN 'yearly' THEN 12.0
                                               WHEN 'quarterly' THEN 3.0 ELSE 1.0 END, 2)
            AS DOUBLE PRECISION)                         AS mrr
FROM sale_subscription s
LEFT JOIN res_partner p ON p.id = s.partner_id
WHERE s.state IN ('in_progress', 'closed')
