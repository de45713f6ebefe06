-- demo profile: feedback
-- Answered survey invitations (state 'done') of the NPS (0..10), CSAT (1..5)
-- and CES (1..10, 1 = least effort) surveys; research surveys carry no
-- score and are left out, as are invitations never answered.
-- customer_id: the answering partner's company; ticket_id: the ticket a
-- CSAT/CES survey was sent after, if any. Scores are passed through as
-- stored: cskpi itself excludes and reports out-of-scale ones.
SELECT CAST(a.id AS TEXT)                                AS feedback_id,
       CAST(COALESCE(p.parent_id, a.partner_id) AS TEXT) AS customer_id,
       a.answered_at                                     AS answered_at,
       s.survey_type                                     AS kind,
       CAST(a.score AS INTEGER)                          AS score,
       CAST(a.ticket_id AS TEXT)                         AS ticket_id
FROM survey_answer a
JOIN survey_survey s    ON s.id = a.survey_id
LEFT JOIN res_partner p ON p.id = a.partner_id
WHERE a.state = 'done'
  AND s.survey_type IN ('nps', 'csat', 'ces')
