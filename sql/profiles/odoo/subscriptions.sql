-- Odoo 17 profile: subscriptions
-- cskpi:requires sale_subscription_plan, sale_order_log
-- Subscriptions of Odoo 17 Enterprise's "sale_subscription" module, which
-- keeps them as sales orders (sale_order.is_subscription) with a plan
-- (sale_subscription_plan, new in 17). Without the module, or on Odoo 16
-- (no sale_subscription_plan table; see docs/profiles/odoo.md for the 16
-- version), the source is left out.
-- SOURCE CAVEAT: Enterprise code is not public; the columns used here come
-- from secondary sources (erp-schemas §10). Run `cskpi check-profile` on your
-- database and compare a few subscriptions with Odoo's own MRR report.
-- One row per confirmed subscription order (state 'sale') that ran:
-- subscription_state '3_progress' (running), '4_paused', '5_renewed'
-- (replaced by its renewal order) or '6_churn' (closed). Quotations
-- ('1_draft'), renewal quotations ('2_renewal') and upsell orders
-- ('7_upsell', whose lines are added to the subscription they upsell) are
-- left out.
-- subscription_id: sale_order.id. customer_id: the commercial partner.
-- start_date: start_date.
-- end_date (exclusive): running or paused: end_date (the planned end; NULL
--   for an open-ended subscription); renewed: the start of the next order of
--   the same contract (origin_order_id groups a contract's orders); churned:
--   the date of the churn event in the MRR log (sale_order_log, event_type
--   '2_churn'), else end_date, else next_invoice_date (paid-up period end).
-- mrr: recurring_monthly (stored, order currency) divided by currency_rate
--   (company currency), as in order_lines.sql.
SELECT CAST(so.id AS TEXT)                       AS subscription_id,
       CAST(cp.commercial_partner_id AS TEXT)    AS customer_id,
       so.start_date                             AS start_date,
       CASE so.subscription_state
         WHEN '6_churn' THEN
           COALESCE((SELECT MAX(lg.event_date) FROM sale_order_log lg
                      WHERE lg.order_id = so.id AND lg.event_type = '2_churn'),
                    so.end_date, so.next_invoice_date)
         WHEN '5_renewed' THEN
           COALESCE((SELECT MIN(n.start_date) FROM sale_order n
                      WHERE n.origin_order_id = COALESCE(so.origin_order_id, so.id)
                        AND n.id <> so.id
                        AND n.start_date > so.start_date
                        AND n.state IN ('sale', 'done')
                        AND n.subscription_state IN ('3_progress', '4_paused', '5_renewed', '6_churn')),
                    so.end_date, so.next_invoice_date)
         ELSE so.end_date
       END                                       AS end_date,
       so.recurring_monthly / COALESCE(NULLIF(so.currency_rate, 0), 1) AS mrr
FROM sale_order so
LEFT JOIN res_partner cp ON cp.id = so.partner_id
WHERE so.is_subscription = TRUE
  AND so.state IN ('sale', 'done')
  AND so.subscription_state IN ('3_progress', '4_paused', '5_renewed', '6_churn')
