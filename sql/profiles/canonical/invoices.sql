-- Profile `canonical`, source `invoices` (kpi-spec §1).
-- Reads a table or view named exactly like the source, with exactly the
-- canonical columns: the integration path for an ERP whose admin prefers to
-- write views. Posted customer invoices and credit notes.
-- Optional source: when no table or view of this name exists the source is
-- absent and its KPIs are unavailable (null), not 0.
-- Columns: invoice_id (text), customer_id (text), invoice_date (date), due_date (date, null),
-- paid_date (date, null), amount (real: credit notes negative),
-- kind (text: 'invoice' or 'credit_note')
SELECT invoice_id, customer_id, invoice_date, due_date, paid_date, amount, kind FROM invoices
