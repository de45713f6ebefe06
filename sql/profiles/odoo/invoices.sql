-- Odoo 16/17 profile: invoices
-- Posted customer invoices and credit notes: account_move with move_type
-- 'out_invoice' (invoice) or 'out_refund' (credit note) and state 'posted'.
-- Drafts and cancelled moves, vendor bills, receipts and journal entries are
-- left out. A credit note that reverses an invoice is kept next to it: the
-- pair nets to zero revenue.
-- invoice_id: account_move.id. customer_id: the commercial partner of the
--   move's partner_id.
-- invoice_date: invoice_date (a date; required once posted).
-- due_date: invoice_date_due (the last installment's due date when the
--   payment term has several).
-- paid_date: only when payment_state is 'paid', 'in_payment' (reconciled
--   with a payment not yet matched on a bank statement) or 'reversed'
--   (settled by a credit note): the latest max_date of the partial
--   reconciliations (account_partial_reconcile) of the move's receivable
--   lines (account_move_line with display_type 'payment_term'), i.e. the
--   date of the last payment or credit note that settled it. NULL otherwise
--   ('not_paid', 'partial').
-- amount: amount_untaxed_signed, the untaxed total in the company currency,
--   negative for credit notes.
-- kind: 'credit_note' for out_refund, else 'invoice'.
-- Multi-company databases: add "AND m.company_id = <id>".
SELECT CAST(m.id AS TEXT)                        AS invoice_id,
       CAST(cp.commercial_partner_id AS TEXT)    AS customer_id,
       m.invoice_date                            AS invoice_date,
       m.invoice_date_due                        AS due_date,
       CASE WHEN m.payment_state IN ('paid', 'in_payment', 'reversed') THEN
         (SELECT MAX(apr.max_date)
            FROM account_move_line ml
            JOIN account_partial_reconcile apr
              ON apr.debit_move_id = ml.id OR apr.credit_move_id = ml.id
           WHERE ml.move_id = m.id
             AND ml.display_type = 'payment_term')
       END                                       AS paid_date,
       m.amount_untaxed_signed                   AS amount,
       CASE WHEN m.move_type = 'out_refund' THEN 'credit_note' ELSE 'invoice' END AS kind
FROM account_move m
LEFT JOIN res_partner cp ON cp.id = m.partner_id
WHERE m.move_type IN ('out_invoice', 'out_refund')
  AND m.state = 'posted'
