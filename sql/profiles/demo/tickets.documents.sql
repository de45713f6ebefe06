-- demo profile: tickets, the tickets that exist (archived ones too): one
-- cskpi holds that is not listed here was deleted from the ERP.
SELECT CAST(t.id AS TEXT) AS document_id
FROM helpdesk_ticket t
