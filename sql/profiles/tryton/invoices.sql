-- Tryton 6.0 profile: invoices
-- Posted customer invoices and credit notes: account_invoice.type 'out',
-- state 'posted' or 'paid'. Drafts and 'validated' invoices have no posted
-- accounting move yet; cancelled ones do not count. "Credit with refund"
-- cancels the original invoice and makes a credit note that is paid by
-- reconciliation against it: the original is cancelled, and that credit
-- note is left out too (its move is the original's cancel_move), so the pair
-- counts for nothing, as in the books. Supplier invoices (type 'in') are not
-- revenue.
-- Tryton (since 4.0) has no credit-note type: a credit note is an 'out'
-- invoice whose lines total a negative amount. kind is 'credit_note' then,
-- and amount is negative.
-- amount: untaxed total = sum over the lines of type 'line' of quantity x
--   unit_price rounded to the invoice currency's digits (how Tryton computes
--   untaxed_amount, which is not stored), converted to the company currency
--   at the accounting date (accounting_date, else invoice_date) with
--   Tryton's currency rates.
-- due_date: the earliest maturity date of the invoice's receivable lines
--   (account_move_line of the invoice's move on the invoice's account; one
--   line per payment-term installment).
-- paid_date: once the invoice is 'paid', the date of the reconciliation of
--   those lines (the date of the last payment).
-- Multi-company databases: add "AND i.company = <id>".
-- Standard SQL, runs on PostgreSQL and SQLite (see order_lines.sql).
SELECT CAST(i.id AS TEXT)     AS invoice_id,
       CAST(i.party AS TEXT)  AS customer_id,
       i.invoice_date         AS invoice_date,
       (SELECT MIN(ml.maturity_date)
          FROM account_move_line ml
         WHERE ml.move = i.move AND ml.account = i.account) AS due_date,
       CASE WHEN i.state = 'paid' THEN
         (SELECT MAX(r.date)
            FROM account_move_line ml
            JOIN account_move_reconciliation r ON r.id = ml.reconciliation
           WHERE ml.move = i.move AND ml.account = i.account)
       END                    AS paid_date,
       CAST(CASE WHEN i.currency = co.currency
                 THEN COALESCE(t.untaxed, 0)
                 ELSE ROUND(COALESCE(t.untaxed, 0)
                            * (SELECT CAST(r.rate AS NUMERIC) FROM currency_currency_rate r
                                WHERE r.currency = co.currency
                                  AND r.date <= COALESCE(i.accounting_date, i.invoice_date)
                                ORDER BY r.date DESC LIMIT 1)
                            / (SELECT CAST(r.rate AS NUMERIC) FROM currency_currency_rate r
                                WHERE r.currency = i.currency
                                  AND r.date <= COALESCE(i.accounting_date, i.invoice_date)
                                ORDER BY r.date DESC LIMIT 1),
                            ccur.digits)
            END AS DOUBLE PRECISION) AS amount,
       CASE WHEN t.untaxed < 0 THEN 'credit_note' ELSE 'invoice' END AS kind
FROM account_invoice i
JOIN company_company co     ON co.id = i.company
JOIN currency_currency ccur ON ccur.id = co.currency
LEFT JOIN (SELECT l.invoice,
                  SUM(ROUND(CAST(l.quantity AS NUMERIC) * CAST(l.unit_price AS NUMERIC), c.digits)) AS untaxed
             FROM account_invoice_line l
             JOIN currency_currency c ON c.id = l.currency
            WHERE l.type = 'line' AND l.invoice IS NOT NULL
            GROUP BY l.invoice) t ON t.invoice = i.id
WHERE i.type = 'out'
  AND i.state IN ('posted', 'paid')
  AND NOT EXISTS (SELECT 1 FROM account_invoice o WHERE o.cancel_move = i.move)
