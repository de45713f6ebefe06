SELECT CAST(p.id AS TEXT) AS customer_id, p.name AS name, p.create_date AS created_on, p.segment AS segment,
       1 AS live
FROM partner p
WHERE p.write_date >= :since
