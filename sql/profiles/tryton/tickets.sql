-- Tryton 6.0 profile: tickets
-- cskpi:requires sale_complaint, sale_complaint_type
-- (module sale_complaint: without it the source is absent, not an error)
-- Customer complaints (sale_complaint module): Tryton has no helpdesk, and
-- complaints are its record of customers' problems. Cancelled complaints
-- (withdrawn or entered by mistake) are left out.
-- customer_id: the complaint's customer; a customer merged into another
--   party with the Replace wizard is mapped to the surviving party
--   (replaced_by; the wizard does not rewrite complaints).
-- opened_at: create_date, the UTC time the complaint was entered. (The
--   complaint's own "date" field is a day without time, editable in draft.)
-- resolved_at: a complaint is resolved in state 'done' (approved and its
--   actions - return sale, credit note - carried out) or 'rejected'. Tryton
--   stores no resolution time; a complaint cannot be edited in those states,
--   so write_date, its last change, is the time of the resolving
--   transition. APPROXIMATION: if someone resets a resolved complaint to
--   draft and resolves it again, the last resolution time is kept (and the
--   reopening is not counted). 'approved' complaints whose actions wait for
--   the queue worker are still open.
-- first_response_at: Tryton records no first response: NULL.
-- category: the complaint type's name. channel, priority, reopen_count:
--   not recorded by Tryton: NULL.
-- Multi-company databases: add "AND c.company = <id>".
-- Standard SQL, runs on PostgreSQL and SQLite.
SELECT CAST(c.id AS TEXT)                                 AS ticket_id,
       CAST(COALESCE(p.replaced_by, c.customer) AS TEXT)  AS customer_id,
       c.create_date                                      AS opened_at,
       CAST(NULL AS TIMESTAMP)                            AS first_response_at,
       CASE WHEN c.state IN ('done', 'rejected')
            THEN COALESCE(c.write_date, c.create_date) END AS resolved_at,
       CAST(NULL AS TEXT)                                 AS channel,
       t.name                                             AS category,
       CAST(NULL AS TEXT)                                 AS priority,
       CAST(NULL AS INTEGER)                              AS reopen_count
FROM sale_complaint c
JOIN sale_complaint_type t ON t.id = c.type
LEFT JOIN party_party p    ON p.id = c.customer
WHERE c.state <> 'cancelled'
