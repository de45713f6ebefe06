-- ERPNext v15 profile: order_lines (MariaDB; see docs/profiles/erpnext.md)
-- Items of submitted Sales Orders: docstatus = 1. Drafts (0) are not
-- orders yet; cancelled orders (2) never were (an amended order is a new
-- document, "SO-0001-1", submitted on its own). Every status of a submitted
-- order counts: To Deliver and Bill, To Bill, To Deliver, Completed, On
-- Hold, and Closed (closed = nothing more will be delivered or billed; the
-- sale happened). Returns are not Sales Orders in ERPNext: they are Sales
-- Invoices / Delivery Notes with is_return = 1 (see invoices.sql).
-- order_id: the Sales Order's name; customer_id: its customer;
--   order_date: transaction_date.
-- product_id: item_code. category: item_group, as copied on the line when
--   the order was made.
-- amount: base_net_amount = the line's net amount (after item and order
--   discounts, without taxes) in the company currency.
-- Orders of internal customers (inter-company) are left out.
-- Multi-company sites: add "AND so.company = 'Your Company'".
SELECT so.name                    AS order_id,
       so.customer                AS customer_id,
       so.transaction_date        AS order_date,
       NULLIF(soi.item_code, '')  AS product_id,
       NULLIF(soi.item_group, '') AS category,
       soi.base_net_amount        AS amount
FROM `tabSales Order` so
JOIN `tabSales Order Item` soi
  ON soi.parent = so.name AND soi.parenttype = 'Sales Order'
WHERE so.docstatus = 1
  AND NOT EXISTS (SELECT 1 FROM `tabCustomer` c
                   WHERE c.name = so.customer AND c.is_internal_customer = 1)
