-- demo profile: retention_costs
-- Approved customer-success expenses spent on keeping customers: the CS
-- team, goodwill concessions and the loyalty programme. Onboarding costs
-- win new customers (acquisition), so they are not retention costs; draft
-- and refused expenses were never spent. Amounts are in company currency.
SELECT e.date                                     AS cost_date,
       CAST(e.total_amount AS DOUBLE PRECISION)   AS amount
FROM cs_expense e
WHERE e.state = 'approved'
  AND e.expense_type IN ('cs_team', 'concession', 'loyalty')
