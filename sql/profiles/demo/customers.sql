-- demo profile: customers
-- Every customer company of the demo ERP. Contact persons (parent_id set),
-- prospects and suppliers are not customers: their orders and tickets are
-- credited to their company by the other sources. Archived (active = 0)
-- customers stay in, because their history still counts.
-- created_on is the local date of the partner's creation (create_date is a
-- UTC timestamp; this base file is standard SQL, PostgreSQL runs it as is;
-- sqlite3/customers.sql takes the date with SQLite's date()).
-- segment is the segment code; unclassified customers give NULL, which cskpi
-- reports as 'unassigned'.
SELECT CAST(p.id AS TEXT)           AS customer_id,
       p.name                       AS name,
       CAST(p.create_date AS DATE)  AS created_on,
       s.code                       AS segment
FROM res_partner p
LEFT JOIN partner_segment s ON s.id = p.segment_id
WHERE p.is_customer = 1
  AND p.parent_id IS NULL
