-- The core customer-success KPIs, written by hand the way a DBA would write
-- the monthly report: one SELECT over the canonical sources (kpi-spec §1),
-- which in the benchmark are views over the demo ERP made from the demo
-- profile's SELECTs (sql/profiles/demo/*.sql), so it reads exactly what
-- cskpi reads. One row per month from the month of the earliest date in any
-- source up to the month of as_of; segment `all` only.
--
-- Used by tests/bench/run.sh as contender "SQL (PostgreSQL)" and, unchanged,
-- by the DuckDB contender (tests/bench/peers/duckdb_kpis.mjs), so it sticks
-- to SQL that both accept. The benchmark's check compares every value with
-- `cskpi compute --json` (segment all, month granularity) within 1e-6.
--
-- The KPIs (kpi-spec §3, §4, §6, §7) and the choices cskpi makes where the
-- spec is silent (docs/kpis-notes-*.md) that matter here:
--   customers_active_start/_end, customers_new, customers_reactivated,
--   customers_churned, retention_rate, churn_rate  -- orders mode, window W
--   revenue, new/expansion/contraction/churned/reactivation_revenue, nrr, grr
--                                                  -- invoice mode
--   ttr_hours_median, ttr_hours_p90                -- calendar hours
--   nps
-- Rows cskpi's loader skips are skipped here too: null mandatory fields,
-- dates after as_of, NPS scores outside 0..10, and a resolution before the
-- opening (the ticket counts as unresolved). Ids are unique in the demo ERP,
-- so duplicate ids (which cskpi also drops) are not looked for.
--
-- Month-level shortcut (documented where used): the inactivity window W is
-- longer than any month (W >= 31, the default is 90), so a spell that starts
-- in a month is still running at the month's end, and a spell that ends in a
-- month began before it. That turns every flow count into a count of spell
-- starts and ends per month, with no customer x month grid.
WITH
params AS (
  SELECT DATE '2025-12-31'   AS as_of,  -- the last day whose data counts
         90                  AS w,      -- inactivity window, days (>= 31)
         'America/Sao_Paulo' AS tz      -- the business's time zone; timestamps are UTC
),

-- ------------------------------------------------------------ activity (§3)

-- The days each customer ordered on (lines of confirmed orders, returns too).
order_days AS (
  SELECT DISTINCT o.customer_id, o.order_date AS d
  FROM order_lines o, params p
  WHERE o.order_id IS NOT NULL AND o.customer_id IS NOT NULL
    AND o.order_date IS NOT NULL AND o.amount IS NOT NULL
    AND o.order_date <= p.as_of
),
-- An order on day d keeps the customer active on d .. d + W - 1, so a new
-- spell starts on the first order day and on any order day more than W days
-- after the previous one.
spell_marks AS (
  SELECT o.customer_id, o.d,
         CASE WHEN o.d - lag(o.d) OVER (PARTITION BY o.customer_id ORDER BY o.d) <= p.w
              THEN 0 ELSE 1 END AS starts
  FROM order_days o, params p
),
spell_days AS (
  SELECT customer_id, d,
         sum(starts) OVER (PARTITION BY customer_id ORDER BY d) AS spell_no  -- 1 = first spell
  FROM spell_marks
),
-- A spell is the day range [s, e): e is its first inactive day, the churn day.
spells AS (
  SELECT customer_id, spell_no, min(d) AS s, max(d) + p.w AS e
  FROM spell_days, params p
  GROUP BY customer_id, spell_no, p.w
),
spells_linked AS (
  SELECT customer_id, spell_no, s, e,
         lag(e) OVER (PARTITION BY customer_id ORDER BY s) AS previous_e
  FROM spells
),

-- ------------------------------------------------------------ clean rows of the other sources

invoices_ok AS (
  SELECT i.customer_id, i.invoice_date, i.amount
  FROM invoices i, params p
  WHERE i.invoice_id IS NOT NULL AND i.customer_id IS NOT NULL AND i.invoice_date IS NOT NULL
    AND i.amount IS NOT NULL AND i.kind IN ('invoice', 'credit_note')
    AND i.invoice_date <= p.as_of
),
-- Local days in the business's zone; durations from whole seconds, as cskpi
-- reads them.
tickets_local AS (
  SELECT floor(extract(epoch FROM t.opened_at))   AS opened_s,
         floor(extract(epoch FROM t.resolved_at)) AS resolved_s,
         CAST((t.opened_at AT TIME ZONE 'UTC') AT TIME ZONE p.tz AS DATE)   AS opened_day,
         CAST((t.resolved_at AT TIME ZONE 'UTC') AT TIME ZONE p.tz AS DATE) AS resolved_day
  FROM tickets t, params p
  WHERE t.ticket_id IS NOT NULL AND t.opened_at IS NOT NULL
),
tickets_ok AS (
  SELECT t.* FROM tickets_local t, params p WHERE t.opened_day <= p.as_of
),
-- Every kind, because every valid answer dates the report's first month;
-- CSAT on 1..5 and CES on 1..10 are cskpi's default scales.
feedback_ok AS (
  SELECT f.kind, f.score, f.day
  FROM (SELECT kind, score,
               CAST((answered_at AT TIME ZONE 'UTC') AT TIME ZONE p.tz AS DATE) AS day
        FROM feedback, params p
        WHERE feedback_id IS NOT NULL AND answered_at IS NOT NULL
          AND kind IS NOT NULL AND score IS NOT NULL) f, params p
  WHERE ((f.kind = 'nps' AND f.score BETWEEN 0 AND 10)
      OR (f.kind = 'csat' AND f.score BETWEEN 1 AND 5)
      OR (f.kind = 'ces' AND f.score BETWEEN 1 AND 10))
    AND f.day <= p.as_of
),

-- ------------------------------------------------------------ the months (§2)

first_day AS (  -- the earliest date in any source
  SELECT min(d) AS d FROM (
    SELECT min(d) AS d FROM order_days
    UNION ALL SELECT min(invoice_date) FROM invoices_ok
    UNION ALL SELECT min(opened_day) FROM tickets_ok
    UNION ALL SELECT min(day) FROM feedback_ok
    UNION ALL SELECT min(s.start_date) FROM subscriptions s, params p
              WHERE s.subscription_id IS NOT NULL AND s.customer_id IS NOT NULL
                AND s.mrr IS NOT NULL AND s.start_date <= p.as_of
    UNION ALL SELECT min(c.cost_date) FROM retention_costs c, params p
              WHERE c.amount IS NOT NULL AND c.cost_date <= p.as_of
  ) x
),
periods AS (
  SELECT CAST(g.m AS DATE) AS p_start
  FROM generate_series(CAST(date_trunc('month', (SELECT d FROM first_day)) AS TIMESTAMP),
                       CAST((SELECT as_of FROM params) AS TIMESTAMP),
                       INTERVAL '1 month') AS g(m)
),

-- ------------------------------------------------------------ customer flow (§3)

-- Spells starting per month: a customer's first (new) or a later one
-- (reactivated); `returns` are the later ones whose previous spell ended in
-- the same month (churned and came back within the month).
spell_starts AS (
  SELECT CAST(date_trunc('month', s) AS DATE) AS p_start,
         count(*) FILTER (WHERE spell_no = 1) AS customers_new,
         count(*) FILTER (WHERE spell_no > 1) AS customers_reactivated,
         count(*) FILTER (WHERE previous_e >= CAST(date_trunc('month', s) AS DATE)) AS returns
  FROM spells_linked
  GROUP BY 1
),
-- Spells ending per month: the churn day is in the month and on or before
-- as_of (a spell still running at as_of has not ended).
spell_ends AS (
  SELECT CAST(date_trunc('month', e) AS DATE) AS p_start, count(*) AS customers_churned
  FROM spells, params p
  WHERE e <= p.as_of
  GROUP BY 1
),
flow_month AS (
  SELECT pe.p_start,
         coalesce(st.customers_new, 0)         AS customers_new,
         coalesce(st.customers_reactivated, 0) AS customers_reactivated,
         coalesce(st.returns, 0)               AS returns,
         coalesce(en.customers_churned, 0)     AS customers_churned
  FROM periods pe
  LEFT JOIN spell_starts st ON st.p_start = pe.p_start
  LEFT JOIN spell_ends en   ON en.p_start = pe.p_start
),
-- Active on a day = spells started by then - spells ended by then. t0 (the
-- day before the month) sees the months before; t1 (its last day, or as_of)
-- sees the month too.
flow AS (
  SELECT p_start, customers_new, customers_reactivated, customers_churned, returns,
         coalesce(sum(customers_new + customers_reactivated - customers_churned)
                    OVER (ORDER BY p_start ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
           AS customers_active_start,
         sum(customers_new + customers_reactivated - customers_churned)
           OVER (ORDER BY p_start ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
           AS customers_active_end
  FROM flow_month
),

-- ------------------------------------------------------------ revenue movements (§4)

-- A customer's revenue in a month; a sum that is only rounding dust (within
-- 1e-9 of the sum of the absolute amounts) is 0.
customer_months AS (
  SELECT customer_id, CAST(date_trunc('month', invoice_date) AS DATE) AS p_start,
         CASE WHEN abs(sum(amount)) <= 1e-9 * sum(abs(amount)) THEN 0 ELSE sum(amount) END AS revenue
  FROM invoices_ok
  GROUP BY 1, 2
),
customer_values AS (  -- v = revenue clamped at 0, and the customer's first positive month
  SELECT customer_id, p_start, greatest(revenue, 0) AS v,
         min(CASE WHEN revenue > 0 THEN p_start END) OVER (PARTITION BY customer_id) AS first_positive
  FROM customer_months
),
-- v1 = the month's value, v0 = the month before's, for every customer with
-- either.
movements AS (
  SELECT coalesce(cur.p_start, CAST(prev.p_start + INTERVAL '1 month' AS DATE)) AS p_start,
         coalesce(prev.v, 0) AS v0,
         coalesce(cur.v, 0)  AS v1,
         coalesce(cur.first_positive, prev.first_positive) AS first_positive
  FROM customer_values cur
  FULL JOIN customer_values prev
    ON prev.customer_id = cur.customer_id
   AND CAST(prev.p_start + INTERVAL '1 month' AS DATE) = cur.p_start
),
revenue_flow AS (
  SELECT p_start,
         sum(v0) AS v0_sum,
         sum(CASE WHEN v0 = 0 AND v1 > 0 AND p_start = first_positive THEN v1 ELSE 0 END) AS new_revenue,
         sum(CASE WHEN v0 = 0 AND v1 > 0 AND p_start > first_positive THEN v1 ELSE 0 END) AS reactivation_revenue,
         sum(CASE WHEN 0 < v0 AND v0 < v1 THEN v1 - v0 ELSE 0 END) AS expansion_revenue,
         sum(CASE WHEN 0 < v1 AND v1 < v0 THEN v0 - v1 ELSE 0 END) AS contraction_revenue,
         sum(CASE WHEN v0 > 0 AND v1 = 0 THEN v0 ELSE 0 END)       AS churned_revenue
  FROM movements
  GROUP BY p_start
),
revenue_month AS (  -- the book value: every amount, unclamped
  SELECT CAST(date_trunc('month', invoice_date) AS DATE) AS p_start, sum(amount) AS revenue
  FROM invoices_ok
  GROUP BY 1
),

-- ------------------------------------------------------------ support (§6), voice (§7)

-- Time to resolution of the tickets resolved (local date) in the month; a
-- resolution before the opening or after as_of is no resolution.
ttr AS (
  SELECT CAST(date_trunc('month', t.resolved_day) AS DATE) AS p_start,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY (t.resolved_s - t.opened_s) / 3600.0) AS ttr_hours_median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY (t.resolved_s - t.opened_s) / 3600.0) AS ttr_hours_p90
  FROM tickets_ok t, params p
  WHERE t.resolved_s >= t.opened_s AND t.resolved_day <= p.as_of
  GROUP BY 1
),
nps AS (
  SELECT CAST(date_trunc('month', day) AS DATE) AS p_start,
         CAST(100 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) AS DOUBLE PRECISION)
           / count(*) AS nps
  FROM feedback_ok
  WHERE kind = 'nps'
  GROUP BY 1
)

-- ------------------------------------------------------------ the report

SELECT f.p_start AS period_start,
       f.customers_active_start,
       f.customers_active_end,
       f.customers_new,
       f.customers_reactivated,
       f.customers_churned,
       CAST(f.customers_active_start - f.customers_churned + f.returns AS DOUBLE PRECISION)
         / nullif(f.customers_active_start, 0)                                     AS retention_rate,
       1 - CAST(f.customers_active_start - f.customers_churned + f.returns AS DOUBLE PRECISION)
         / nullif(f.customers_active_start, 0)                                     AS churn_rate,
       coalesce(rm.revenue, 0)              AS revenue,
       coalesce(r.new_revenue, 0)           AS new_revenue,
       coalesce(r.expansion_revenue, 0)     AS expansion_revenue,
       coalesce(r.contraction_revenue, 0)   AS contraction_revenue,
       coalesce(r.churned_revenue, 0)       AS churned_revenue,
       coalesce(r.reactivation_revenue, 0)  AS reactivation_revenue,
       (r.v0_sum + r.expansion_revenue - r.contraction_revenue - r.churned_revenue)
         / nullif(r.v0_sum, 0)                                                     AS nrr,
       (r.v0_sum - r.contraction_revenue - r.churned_revenue) / nullif(r.v0_sum, 0) AS grr,
       t.ttr_hours_median,
       t.ttr_hours_p90,
       n.nps
FROM flow f
LEFT JOIN revenue_flow r   ON r.p_start = f.p_start
LEFT JOIN revenue_month rm ON rm.p_start = f.p_start
LEFT JOIN ttr t            ON t.p_start = f.p_start
LEFT JOIN nps n            ON n.p_start = f.p_start
ORDER BY f.p_start;
