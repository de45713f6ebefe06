-- Tryton 6.0 profile: invoices, change capture (see invoices.sql for what
-- is read and why, and order_lines.changes.sql for how changes are found).
-- An invoice counts as changed when, by COALESCE(write_date, create_date),
--   * the invoice was written (posted, paid, cancelled, party, dates),
--   * one of its lines was written (the untaxed amount),
--   * a line of its accounting move was written (a reconciliation sets
--     paid_date; the maturity dates give due_date),
--   * the invoice that cancels its move was written ("credit with refund"
--     takes the original's credit note out of invoices.sql),
--   * a party merged into its party with the Replace wizard was written.
-- live = 1 exactly on the rows invoices.sql returns.
-- NOT seen here: new currency rates (foreign-currency amounts): the
-- periodic full run covers them.
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
       CASE WHEN t.untaxed < 0 THEN 'credit_note' ELSE 'invoice' END AS kind,
       CASE WHEN i.type = 'out' AND i.state IN ('posted', 'paid')
                 AND NOT EXISTS (SELECT 1 FROM account_invoice o WHERE o.cancel_move = i.move)
            THEN 1 ELSE 0 END AS live
FROM account_invoice i
JOIN company_company co     ON co.id = i.company
JOIN currency_currency ccur ON ccur.id = co.currency
LEFT JOIN (SELECT l.invoice,
                  SUM(ROUND(CAST(l.quantity AS NUMERIC) * CAST(l.unit_price AS NUMERIC), c.digits)) AS untaxed
             FROM account_invoice_line l
             JOIN currency_currency c ON c.id = l.currency
            WHERE l.type = 'line' AND l.invoice IS NOT NULL
            GROUP BY l.invoice) t ON t.invoice = i.id
WHERE COALESCE(i.write_date, i.create_date) >= :since
   OR EXISTS (SELECT 1 FROM account_invoice_line c
               WHERE c.invoice = i.id AND COALESCE(c.write_date, c.create_date) >= :since)
   OR EXISTS (SELECT 1 FROM account_move_line c
               WHERE c.move = i.move AND COALESCE(c.write_date, c.create_date) >= :since)
   OR EXISTS (SELECT 1 FROM account_invoice c
               WHERE c.cancel_move = i.move AND COALESCE(c.write_date, c.create_date) >= :since)
   OR EXISTS (SELECT 1 FROM party_party m
               WHERE m.replaced_by = i.party AND COALESCE(m.write_date, m.create_date) >= :since)
