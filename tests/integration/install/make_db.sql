-- The host's database (host.c states the numbers it expects).
CREATE TABLE customers(customer_id TEXT, name TEXT, created_on DATE, segment TEXT);
CREATE TABLE order_lines(order_id TEXT, customer_id TEXT, order_date DATE, product_id TEXT, category TEXT, amount REAL);
INSERT INTO customers VALUES ('a', 'A', NULL, 'smb'), ('b', 'B', NULL, 'smb');
INSERT INTO order_lines VALUES ('o1', 'a', '2024-03-01', 'p', 'x', 10), ('o2', 'b', '2024-03-02', 'p', 'x', 30),
                               ('o3', 'b', '2024-03-20', 'p', 'y', 20);
