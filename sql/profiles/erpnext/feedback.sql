-- ERPNext v15 profile: feedback (MariaDB; see docs/profiles/erpnext.md)
-- Customer ratings recorded as Quality Feedback (Quality Management module;
-- v15 has no "Customer Feedback" doctype): one answer per rated parameter
-- of a feedback whose document_type is 'Customer'. A rating is a choice
-- '1'..'5' (stars), so every answer is a CSAT answer on a 5-point scale
-- ("csat_scale": 5, the default): 4 and 5 are satisfied. Parameters left
-- unrated are not answers.
-- feedback_id: the parameter row's name; customer_id: document_name;
--   answered_at: the feedback's creation (site time zone, see tickets.sql).
-- ticket_id: Quality Feedback is not tied to an Issue: NULL.
-- Frappe Helpdesk ticket ratings (`tabHD Ticket`.feedback_rating) are
-- another source: docs/profiles/erpnext.md shows that SELECT.
SELECT p.name                    AS feedback_id,
       f.document_name           AS customer_id,
       f.creation                AS answered_at,
       'csat'                    AS kind,
       CAST(p.rating AS SIGNED)  AS score,
       CAST(NULL AS CHAR)        AS ticket_id
FROM `tabQuality Feedback` f
JOIN `tabQuality Feedback Parameter` p
  ON p.parent = f.name AND p.parenttype = 'Quality Feedback'
WHERE f.document_type = 'Customer'
  AND p.rating IN ('1', '2', '3', '4', '5')
