-- Tryton 6.0 profile: customers
-- Tryton has no "is a customer" flag: every party (party_party) is listed,
-- archived ones included (their history still counts), except
--   * parties merged into another one with the Replace wizard
--     (replaced_by set): their sales, invoices and subscriptions were moved
--     to the surviving party, and tickets.sql maps their complaints to it;
--   * the parties of your own companies (company_company.party);
--   * employees' parties (company_employee.party) that never bought: a
--     purchase is a confirmed, processing or done sale, as in order_lines.sql
--     (a cancelled sale or a quotation does not make an employee a customer).
-- If suppliers or other non-customer parties must go too, add a condition
-- here (e.g. a party category "Supplier", or NOT EXISTS on purchase_purchase
-- when the purchase module is installed).
-- customer_id: the party id. name: the party name (the code when unnamed).
-- created_on: the UTC date the party record was created (create_date); after
--   a data migration that is the import date, not the customer's real start.
-- segment: the party category whose name sorts first (party_category_rel ->
--   party_category); NULL (reported as 'unassigned') without a category.
--   To segment by a sub-tree only, filter c.parent here.
-- This base file is PostgreSQL; sqlite3/customers.sql is the SQLite form.
SELECT CAST(p.id AS TEXT)            AS customer_id,
       COALESCE(p.name, p.code)      AS name,
       CAST(p.create_date AS DATE)   AS created_on,
       (SELECT MIN(c.name)
          FROM party_category_rel r
          JOIN party_category c ON c.id = r.category
         WHERE r.party = p.id)       AS segment
FROM party_party p
WHERE p.replaced_by IS NULL
  AND NOT EXISTS (SELECT 1 FROM company_company co WHERE co.party = p.id)
  AND (NOT EXISTS (SELECT 1 FROM company_employee e WHERE e.party = p.id)
       OR EXISTS (SELECT 1 FROM sale_sale s
                   WHERE s.party = p.id AND s.state IN ('confirmed', 'processing', 'done')))
