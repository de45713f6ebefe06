-- ERPNext v15 profile: subscriptions (MariaDB; see docs/profiles/erpnext.md)
-- Subscriptions of customers (party_type = 'Customer'), whatever their
-- status now (Trialling, Active, Past Due Date, Unpaid, Cancelled,
-- Completed): their dates say when they ran. One row per plan of a
-- subscription (`tabSubscription Plan Detail`), since each plan has its own
-- price: subscription_id = '<subscription>-<row number>'.
-- customer_id: party.
-- start_date: start_date; with a trial period, the day after trial_period_end
--   (a trial is not paid).
-- end_date: exclusive end = the day after the earlier of end_date and
--   cancelation_date (both are the last day of service); NULL = open.
-- mrr: the plan's monthly value x the plan row's qty:
--   'Fixed Rate' plans: cost per billing interval (billing_interval_count
--     Days, Weeks, Months or Years) x intervals per year (365, 52, 12, 1)
--     / 12;
--   'Monthly Rate' plans: cost is already monthly;
--   'Based On Price List' plans: the price lives in a price list: NULL, the
--     row is reported in data quality (null_mandatory_field) and skipped;
--     docs/profiles/erpnext.md shows how to read the price list.
--   Amounts are in the plan's currency (no conversion).
-- Multi-company sites: add "AND s.company = 'Your Company'".
SELECT CONCAT(s.name, '-', d.idx) AS subscription_id,
       s.party                    AS customer_id,
       CASE WHEN s.trial_period_end IS NOT NULL AND s.trial_period_end >= s.start_date
            THEN s.trial_period_end + INTERVAL 1 DAY
            ELSE s.start_date END AS start_date,
       LEAST(COALESCE(s.end_date, s.cancelation_date),
             COALESCE(s.cancelation_date, s.end_date)) + INTERVAL 1 DAY AS end_date,
       CASE p.price_determination
         WHEN 'Fixed Rate' THEN
           p.cost * d.qty
           * CASE p.billing_interval WHEN 'Day' THEN 365 WHEN 'Week' THEN 52
                                     WHEN 'Month' THEN 12 WHEN 'Year' THEN 1 END
           / (12 * GREATEST(COALESCE(p.billing_interval_count, 1), 1))
         WHEN 'Monthly Rate' THEN p.cost * d.qty
       END                        AS mrr
FROM `tabSubscription` s
JOIN `tabSubscription Plan Detail` d
  ON d.parent = s.name AND d.parenttype = 'Subscription'
JOIN `tabSubscription Plan` p ON p.name = d.plan
WHERE s.party_type = 'Customer'
