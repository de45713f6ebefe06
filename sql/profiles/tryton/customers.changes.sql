-- Tryton 6.0 profile: customers, change capture (see customers.sql for what
-- is read and why, and order_lines.changes.sql for how changes are found).
-- A party counts as changed when, by COALESCE(write_date, create_date),
-- the party was written (name, categories: the party form writes the party
-- when its categories change; Replace sets replaced_by), or when it is an
-- employee with a sale written since then (a first confirmed sale makes an
-- employee a customer, a cancelled one may take that back).
-- live = 1 exactly on the rows customers.sql returns.
-- NOT seen here: renaming a category, or a party becoming the party of a
-- company or an employee: the periodic full run covers them.
-- This base file is PostgreSQL; sqlite3/customers.changes.sql is the SQLite form.
SELECT CAST(p.id AS TEXT)            AS customer_id,
       COALESCE(p.name, p.code)      AS name,
       CAST(p.create_date AS DATE)   AS created_on,
       (SELECT MIN(c.name)
          FROM party_category_rel r
          JOIN party_category c ON c.id = r.category
         WHERE r.party = p.id)       AS segment,
       CASE WHEN p.replaced_by IS NULL
                 AND NOT EXISTS (SELECT 1 FROM company_company co WHERE co.party = p.id)
                 AND (NOT EXISTS (SELECT 1 FROM company_employee e WHERE e.party = p.id)
                      OR EXISTS (SELECT 1 FROM sale_sale s
                                  WHERE s.party = p.id AND s.state IN ('confirmed', 'processing', 'done')))
            THEN 1 ELSE 0 END        AS live
FROM party_party p
WHERE COALESCE(p.write_date, p.create_date) >= :since
   OR (EXISTS (SELECT 1 FROM company_employee e WHERE e.party = p.id)
       AND EXISTS (SELECT 1 FROM sale_sale s
                    WHERE s.party = p.id AND COALESCE(s.write_date, s.create_date) >= :since))
