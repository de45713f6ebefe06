-- demo profile: invoices, change capture (see invoices.sql for what is read
-- and why, and order_lines.changes.sql for how changes are found).
-- An invoice counts as changed when it was written (posted, cancelled,
-- re-drafted, re-assigned), when one of its payments was written (a new or
-- bounced payment moves paid_date), or when its partner was written.
-- live = 1 exactly on the rows invoices.sql returns: posted customer
-- invoices and credit notes; drafts, cancelled invoices and supplier bills
-- come with live = 0.
SELECT CAST(i.id AS TEXT)                                AS invoice_id,
       CAST(COALESCE(p.parent_id, i.partner_id) AS TEXT) AS customer_id,
       i.invoice_date                                    AS invoice_date,
       i.invoice_date_due                                AS due_date,
       CASE WHEN pay.paid >= i.amount_total - 0.005 THEN pay.last_date END AS paid_date,
       CAST(CASE WHEN i.move_type = 'out_refund' THEN -1 ELSE 1 END
            * ROUND(i.amount_untaxed * i.currency_rate, 2) AS DOUBLE PRECISION) AS amount,
       CASE WHEN i.move_type = 'out_refund' THEN 'credit_note' ELSE 'invoice' END AS kind,
       CASE WHEN i.state = 'posted' AND i.move_type IN ('out_invoice', 'out_refund')
            THEN 1 ELSE 0 END                            AS live
FROM account_invoice i
LEFT JOIN res_partner p ON p.id = i.partner_id
LEFT JOIN (SELECT invoice_id, SUM(amount) AS paid, MAX(payment_date) AS last_date
             FROM account_payment
            WHERE state = 'posted'
            GROUP BY invoice_id) pay ON pay.invoice_id = i.id
WHERE i.write_date >= :since
   OR p.write_date >= :since
   OR EXISTS (SELECT 1 FROM account_payment c WHERE c.invoice_id = i.id AND c.write_date >= :since)
