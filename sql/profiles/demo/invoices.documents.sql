-- demo profile: invoices, the invoices that exist (in any state, of any
-- type): one cskpi holds that is not listed here was deleted from the ERP.
SELECT CAST(i.id AS TEXT) AS document_id
FROM account_invoice i
