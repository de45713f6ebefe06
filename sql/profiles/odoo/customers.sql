-- Odoo 16/17 profile: customers
-- A customer is a commercial partner (a company, or a person without a
-- parent company: res_partner.commercial_partner_id = id) that is a customer:
-- it or one of its contacts has customer_rank > 0 (Odoo raises it when a
-- customer invoice is posted), or it has a confirmed sales order (confirmed
-- but not yet invoiced customers). Contacts and delivery/invoice addresses of
-- a company are rolled up into it: the other sources do the same with
-- commercial_partner_id. Archived partners are kept (their history counts).
-- customer_id: the commercial partner's id.
-- name: the partner name.
-- created_on: create_date (UTC timestamp) read as an instant, so its local
--   date follows the configured "timezone". After a data migration this is
--   the import date.
-- segment: the partner's tag (res_partner_category, via the many-to-many
--   res_partner_res_partner_category_rel) whose name sorts first; archived
--   tags are ignored; NULL (reported 'unassigned') without a tag. Tag names
--   are translatable: jsonb {"en_US": ...} since Odoo 16; the en_US value is
--   read (the expression also accepts a plain varchar column).
--   To segment by industry instead, see docs/profiles/odoo.md.
-- Multi-company databases: partners are usually shared (company_id NULL);
--   filter the documents (order_lines.sql, invoices.sql) instead.
-- PostgreSQL only (Odoo runs on nothing else).
SELECT CAST(p.id AS TEXT)                   AS customer_id,
       p.name                               AS name,
       p.create_date AT TIME ZONE 'UTC'     AS created_on,
       (SELECT MIN(COALESCE(to_jsonb(c.name) ->> 'en_US', to_jsonb(c.name) #>> '{}'))
          FROM res_partner_res_partner_category_rel r
          JOIN res_partner_category c ON c.id = r.category_id
         WHERE r.partner_id = p.id
           AND c.active IS NOT FALSE)       AS segment
FROM res_partner p
WHERE p.commercial_partner_id = p.id
  AND (EXISTS (SELECT 1 FROM res_partner k
                WHERE k.commercial_partner_id = p.id AND k.customer_rank > 0)
       OR EXISTS (SELECT 1 FROM sale_order so
                    JOIN res_partner k ON k.id = so.partner_id
                   WHERE k.commercial_partner_id = p.id
                     AND so.state IN ('sale', 'done')))
