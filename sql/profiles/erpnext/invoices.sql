-- ERPNext v15 profile: invoices (MariaDB; see docs/profiles/erpnext.md)
-- Submitted Sales Invoices (docstatus = 1), credit notes included; drafts
-- and cancelled invoices (docstatus 2) do not count. A credit note is a
-- Sales Invoice with is_return = 1 (return_against = the original): kind
-- 'credit_note', amount negative (ERPNext already stores it negative).
-- amount: base_net_total = net total after discounts, without taxes, in
--   the company currency.
-- invoice_date: posting_date. due_date: due_date (the last installment's
--   date when a payment schedule splits it).
-- paid_date: only when nothing is outstanding (outstanding_amount = 0): the
--   latest posting date of what settled it in the Payment Ledger (Payment
--   Entries, Journal Entries, credit notes allocated against it; rows that
--   were later unlinked, delinked = 1, do not count). An invoice paid at
--   the point of sale (POS, is_pos) or with nothing to pay has no other
--   ledger row: its own posting_date. An invoice settled by a credit note
--   for its full amount counts as paid on the credit note's date.
-- Invoices of internal customers (inter-company) are left out.
-- Multi-company sites: add "AND si.company = 'Your Company'".
SELECT si.name         AS invoice_id,
       si.customer     AS customer_id,
       si.posting_date AS invoice_date,
       si.due_date     AS due_date,
       CASE WHEN si.outstanding_amount = 0 THEN
         COALESCE((SELECT MAX(ple.posting_date)
                     FROM `tabPayment Ledger Entry` ple
                    WHERE ple.against_voucher_type = 'Sales Invoice'
                      AND ple.against_voucher_no = si.name
                      AND ple.voucher_no <> si.name
                      AND ple.delinked = 0),
                  si.posting_date)
       END             AS paid_date,
       CASE WHEN si.is_return = 1 THEN -ABS(si.base_net_total)
            ELSE si.base_net_total END AS amount,
       CASE WHEN si.is_return = 1 THEN 'credit_note' ELSE 'invoice' END AS kind
FROM `tabSales Invoice` si
WHERE si.docstatus = 1
  AND NOT EXISTS (SELECT 1 FROM `tabCustomer` c
                   WHERE c.name = si.customer AND c.is_internal_customer = 1)
