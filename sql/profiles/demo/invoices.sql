-- demo profile: invoices
-- Posted customer invoices (out_invoice) and credit notes (out_refund).
-- Drafts are not accounting documents yet and cancelled ones never were;
-- supplier bills (in_invoice) are not revenue.
-- amount: untaxed, in company currency (EUR: amount x the invoice's rate),
-- negative for credit notes, which the ERP stores as positive amounts.
-- due_date: invoice_date_due. paid_date: the date of the last posted payment
-- once the posted payments cover the invoice total (within half a cent);
-- NULL while unpaid or only partly paid.
SELECT CAST(i.id AS TEXT)                                AS invoice_id,
       CAST(COALESCE(p.parent_id, i.partner_id) AS TEXT) AS customer_id,
       i.invoice_date                                    AS invoice_date,
       i.invoice_date_due                                AS due_date,
       CASE WHEN pay.paid >= i.amount_total - 0.005 THEN pay.last_date END AS paid_date,
       CAST(CASE WHEN i.move_type = 'out_refund' THEN -1 ELSE 1 END
            * ROUND(i.amount_untaxed * i.currency_rate, 2) AS DOUBLE PRECISION) AS amount,
       CASE WHEN i.move_type = 'out_refund' THEN 'credit_note' ELSE 'invoice' END AS kind
FROM account_invoice i
LEFT JOIN res_partner p ON p.id = i.partner_id
LEFT JOIN (SELECT invoice_id, SUM(amount) AS paid, MAX(payment_date) AS last_date
             FROM account_payment
            WHERE state = 'posted'
            GROUP BY invoice_id) pay ON pay.invoice_id = i.id
WHERE i.state = 'posted'
  AND i.move_type IN ('out_invoice', 'out_refund')
