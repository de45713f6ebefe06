-- Every partner is a customer.
SELECT CAST(p.id AS TEXT) AS customer_id, p.name AS name, p.create_date AS created_on, p.segment AS segment
FROM partner p
