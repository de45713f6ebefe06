-- Tryton 6.0 profile: invoices, the invoices that exist (any type and
-- state): one cskpi holds that is not listed here was deleted.
SELECT CAST(i.id AS TEXT) AS document_id
FROM account_invoice i
