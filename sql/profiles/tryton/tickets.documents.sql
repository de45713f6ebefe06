-- Tryton 6.0 profile: tickets, the complaints that exist (any state): one
-- cskpi holds that is not listed here was deleted.
-- cskpi:requires sale_complaint
SELECT CAST(c.id AS TEXT) AS document_id
FROM sale_complaint c
