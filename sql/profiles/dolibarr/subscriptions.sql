-- Dolibarr profile: subscriptions (MySQL / MariaDB; see docs/profiles/dolibarr.md)
-- Service lines of contracts (llx_contratdet of llx_contrat) that were
-- activated: line statut 4 (running) or 5 (closed). Lines never activated
-- (0) and lines of draft contracts (header statut 0) never ran. Each line
-- is a subscription of its own (lines open and close on their own dates):
-- subscription_id = the line's rowid.
-- customer_id: the contract's fk_soc.
-- start_date: date_ouverture (actual activation), else the planned one.
-- end_date (exclusive): for a closed line, the day it was closed
--   (date_cloture); otherwise the day after the planned end
--   (date_fin_validite), so a running line past its end date counts as
--   ended; NULL = open-ended.
-- mrr: the line's total_ht. ASSUMPTION: contract lines are priced per
--   month (Dolibarr stores no billing period on the line); see
--   docs/profiles/dolibarr.md to convert other periods.
-- Only entity 1 (see customers.sql).
SELECT CAST(d.rowid AS CHAR)   AS subscription_id,
       CAST(c.fk_soc AS CHAR)  AS customer_id,
       CAST(COALESCE(d.date_ouverture, d.date_ouverture_prevue) AS DATE) AS start_date,
       CASE WHEN d.statut = 5 AND d.date_cloture IS NOT NULL THEN CAST(d.date_cloture AS DATE)
            WHEN d.date_fin_validite IS NOT NULL
              THEN CAST(d.date_fin_validite AS DATE) + INTERVAL 1 DAY
       END                     AS end_date,
       d.total_ht              AS mrr
FROM llx_contratdet d
JOIN llx_contrat c ON c.rowid = d.fk_contrat
WHERE d.statut IN (4, 5)
  AND c.statut IN (1, 2)
  AND c.entity = 1
