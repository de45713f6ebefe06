-- demo profile: customers, change capture, SQLite dialect (see
-- ../customers.changes.sql): date() keeps the day of create_date.
SELECT CAST(p.id AS TEXT)  AS customer_id,
       p.name              AS name,
       date(p.create_date) AS created_on,
       s.code              AS segment,
       CASE WHEN p.is_customer = 1 AND p.parent_id IS NULL THEN 1 ELSE 0 END AS live
FROM res_partner p
LEFT JOIN partner_segment s ON s.id = p.segment_id
WHERE p.write_date >= :since
