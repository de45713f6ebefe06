-- Tryton 6.0 profile: customers, change capture, SQLite dialect (see
-- ../customers.changes.sql for what is read and why). Tryton stores
-- create_date as text 'YYYY-MM-DD HH:MM:SS[.ffffff]' here; date() keeps the day.
SELECT CAST(p.id AS TEXT)            AS customer_id,
       COALESCE(p.name, p.code)      AS name,
       date(p.create_date)           AS created_on,
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
