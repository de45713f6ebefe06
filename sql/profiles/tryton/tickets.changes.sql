-- Tryton 6.0 profile: tickets, change capture (see tickets.sql for what is
-- read and why, and order_lines.changes.sql for how changes are found).
-- cskpi:requires sale_complaint, sale_complaint_type
-- A complaint counts as changed when it was written (its state: resolved_at
-- is its write_date once done or rejected) or when its customer party was
-- written (merged into another party: customer_id follows replaced_by).
-- live = 1 exactly on the rows tickets.sql returns (not cancelled).
-- NOT seen here: renaming a complaint type: the periodic full run covers it.
SELECT CAST(c.id AS TEXT)                                 AS ticket_id,
       CAST(COALESCE(p.replaced_by, c.customer) AS TEXT)  AS customer_id,
       c.create_date                                      AS opened_at,
       CAST(NULL AS TIMESTAMP)                            AS first_response_at,
       CASE WHEN c.state IN ('done', 'rejected')
            THEN COALESCE(c.write_date, c.create_date) END AS resolved_at,
       CAST(NULL AS TEXT)                                 AS channel,
       t.name                                             AS category,
       CAST(NULL AS TEXT)                                 AS priority,
       CAST(NULL AS INTEGER)                              AS reopen_count,
       CASE WHEN c.state <> 'cancelled' AND t.id IS NOT NULL THEN 1 ELSE 0 END AS live
FROM sale_complaint c
LEFT JOIN sale_complaint_type t ON t.id = c.type
LEFT JOIN party_party p         ON p.id = c.customer
WHERE COALESCE(c.write_date, c.create_date) >= :since
   OR COALESCE(p.write_date, p.create_date) >= :since
