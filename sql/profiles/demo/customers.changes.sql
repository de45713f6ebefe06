-- demo profile: customers, change capture (see customers.sql for what is
-- read and why, and order_lines.changes.sql for how changes are found).
-- Every partner written since the "since" parameter: live = 1 exactly on the rows
-- customers.sql returns (customer companies), 0 for contacts, prospects and
-- suppliers, so a company that became a contact leaves cskpi's model.
-- Renaming a segment is not seen here: the periodic full run covers it.
-- Standard SQL, PostgreSQL runs it as is; sqlite3/customers.changes.sql
-- takes the date with SQLite's date().
SELECT CAST(p.id AS TEXT)           AS customer_id,
       p.name                       AS name,
       CAST(p.create_date AS DATE)  AS created_on,
       s.code                       AS segment,
       CASE WHEN p.is_customer = 1 AND p.parent_id IS NULL THEN 1 ELSE 0 END AS live
FROM res_partner p
LEFT JOIN partner_segment s ON s.id = p.segment_id
WHERE p.write_date >= :since
