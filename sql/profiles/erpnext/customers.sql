-- ERPNext v15 profile: customers (MariaDB; see docs/profiles/erpnext.md)
-- Every Customer (tabCustomer), disabled ones included: their history still
-- counts. Internal customers (is_internal_customer = 1: your own companies
-- in inter-company transactions) are left out here and in every other file.
-- customer_id: the Customer's name (its ID, e.g. 'CUST-00042' or the
--   customer name itself, depending on Selling Settings naming).
-- name: customer_name.
-- created_on: the date of `creation` (the site's time zone). After a data
--   import this is the import date, not the customer's real start.
-- segment: customer_group (one group per customer, e.g. 'Commercial',
--   'Individual'). To segment by territory or customer_type instead, put
--   that column here.
-- Multi-company: customers are shared by all companies of a site.
SELECT c.name                       AS customer_id,
       c.customer_name              AS name,
       CAST(c.creation AS DATE)     AS created_on,
       NULLIF(c.customer_group, '') AS segment
FROM `tabCustomer` c
WHERE COALESCE(c.is_internal_customer, 0) = 0
