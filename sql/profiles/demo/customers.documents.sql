-- demo profile: customers, the partners that exist: one cskpi holds that
-- is not listed here was deleted from the ERP.
SELECT CAST(p.id AS TEXT) AS document_id
FROM res_partner p
