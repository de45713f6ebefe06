-- Odoo 16/17 profile: feedback
-- cskpi:requires rating_rating
-- Customer ratings (rating_rating, the "rating" module that helpdesk,
-- project, live chat and subscriptions use): the smiley a customer clicks,
-- stored as 5 (satisfied), 3 (okay) or 1 (dissatisfied); 0 = not rated.
-- Without the rating module the source is left out.
-- Only answered ratings: consumed = true and rating > 0 (a rating request
-- sent but not answered is a row with consumed = false).
-- feedback_id: rating_rating.id. customer_id: the commercial partner of the
--   rating's partner_id (NULL for anonymous live-chat visitors: counted in
--   segment 'all' only).
-- answered_at: write_date (UTC): a rating row is created when the request is
--   sent and written when the customer answers (a direct rating is created
--   answered, and write_date is set at creation too). APPROXIMATION: a later
--   edit of the rating (e.g. its feedback text) moves write_date.
-- kind: 'csat', score: the smiley (1, 3 or 5) on cskpi's 5-point CSAT scale,
--   whose top two scores (4, 5) count as satisfied: exactly Odoo's
--   "satisfied" smiley. Keep "csat_scale" at 5.
-- ticket_id: the helpdesk ticket rated (res_model 'helpdesk.ticket'), else
--   NULL (task, live-chat and subscription ratings).
SELECT CAST(r.id AS TEXT)                       AS feedback_id,
       CAST(cp.commercial_partner_id AS TEXT)   AS customer_id,
       r.write_date                             AS answered_at,
       'csat'                                   AS kind,
       CAST(ROUND(r.rating) AS INTEGER)         AS score,
       CASE WHEN r.res_model = 'helpdesk.ticket' THEN CAST(r.res_id AS TEXT) END AS ticket_id
FROM rating_rating r
LEFT JOIN res_partner cp ON cp.id = r.partner_id
WHERE r.consumed = TRUE
  AND r.rating > 0
