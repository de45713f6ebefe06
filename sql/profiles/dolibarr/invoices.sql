-- Dolibarr profile: invoices (MySQL / MariaDB; see docs/profiles/dolibarr.md)
-- Customer invoices (llx_facture) that were validated: fk_statut 1
-- (validated, unpaid) or 2 (closed: paid, or closed with a reason in
-- close_code). Drafts (0) and abandoned invoices (3) do not count.
-- Types: 0 standard, 1 replacement (the invoice it replaces is abandoned),
-- 2 credit note, 5 situation invoice. Deposit invoices (3) are left out,
-- as the schema reference prescribes: see docs/profiles/dolibarr.md for
-- installations whose final invoices deduct deposits.
-- kind: 'credit_note' for type 2 (fk_facture_source = the invoice it
--   corrects), amount negative (Dolibarr stores it negative).
-- amount: total_ht = net total without tax, company currency.
-- invoice_date: datef. due_date: date_lim_reglement.
-- paid_date: for invoices marked paid (paye = 1), the date of the last
--   payment recorded against them (llx_paiement.datep through
--   llx_paiement_facture); without a payment row (closed against a
--   discount or a credit note), the day it was closed (date_closing).
-- Only entity 1 (see customers.sql).
SELECT CAST(f.rowid AS CHAR)   AS invoice_id,
       CAST(f.fk_soc AS CHAR)  AS customer_id,
       f.datef                 AS invoice_date,
       f.date_lim_reglement    AS due_date,
       CASE WHEN f.paye = 1 THEN
         CAST(COALESCE((SELECT MAX(p.datep)
                          FROM llx_paiement_facture pf
                          JOIN llx_paiement p ON p.rowid = pf.fk_paiement
                         WHERE pf.fk_facture = f.rowid),
                       f.date_closing) AS DATE)
       END                     AS paid_date,
       CASE WHEN f.type = 2 THEN -ABS(f.total_ht) ELSE f.total_ht END AS amount,
       CASE WHEN f.type = 2 THEN 'credit_note' ELSE 'invoice' END     AS kind
FROM llx_facture f
WHERE f.fk_statut IN (1, 2)
  AND f.type IN (0, 1, 2, 5)
  AND f.entity = 1
