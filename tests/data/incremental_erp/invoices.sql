SELECT CAST(i.id AS TEXT) AS invoice_id, CAST(i.partner_id AS TEXT) AS customer_id, i.invoice_date AS invoice_date,
       i.due_date AS due_date, i.paid_date AS paid_date, i.amount AS amount, i.kind AS kind
FROM account_invoice i
WHERE i.state = 'posted'
