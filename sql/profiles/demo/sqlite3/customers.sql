-- demo profile: customers, SQLite dialect (see ../customers.sql).
-- SQLite stores create_date as 'YYYY-MM-DD HH:MM:SS' text; date() keeps the
-- 'YYYY-MM-DD' part (CAST(... AS DATE) would leave the text unchanged).
SELECT CAST(p.id AS TEXT)  AS customer_id,
       p.name              AS name,
       date(p.create_date) AS created_on,
       s.code              AS segment
FROM res_partner p
LEFT JOIN partner_segment s ON s.id = p.segment_id
WHERE p.is_customer = 1
  AND p.parent_id IS NULL
