-- demo profile: feedback, change capture (see feedback.sql for what is read
-- and why, and order_lines.changes.sql for how changes are found).
-- An answer counts as changed when it was written (answered, re-scored)
-- or when the answering partner was written (a contact moved to another
-- company). live = 1 exactly on the rows feedback.sql returns: answered
-- NPS, CSAT and CES invitations.
SELECT CAST(a.id AS TEXT)                                AS feedback_id,
       CAST(COALESCE(p.parent_id, a.partner_id) AS TEXT) AS customer_id,
       a.answered_at                                     AS answered_at,
       s.survey_type                                     AS kind,
       CAST(a.score AS INTEGER)                          AS score,
       CAST(a.ticket_id AS TEXT)                         AS ticket_id,
       CASE WHEN a.state = 'done' AND s.survey_type IN ('nps', 'csat', 'ces')
            THEN 1 ELSE 0 END                            AS live
FROM survey_answer a
LEFT JOIN survey_survey s ON s.id = a.survey_id
LEFT JOIN res_partner p   ON p.id = a.partner_id
WHERE a.write_date >= :since
   OR p.write_date >= :since
