-- Dolibarr profile: order_lines (MySQL / MariaDB; see docs/profiles/dolibarr.md)
-- Lines of customer orders (llx_commande, llx_commandedet) that were
-- validated: fk_statut 1 (validated), 2 (shipment in progress) or 3
-- (delivered / closed). Drafts (0) and cancelled orders (-1) do not count.
-- Only product (product_type 0) and service (1) lines: other line types
-- (titles, subtotals of add-on modules) sell nothing.
-- order_id: the order's rowid; customer_id: fk_soc; order_date: date_commande.
-- product_id: fk_product (NULL for free-text lines).
-- category: the product category (llx_categorie of type 0, linked through
--   llx_categorie_product) whose label sorts first; NULL ('unknown') for
--   free-text lines and products without a category.
-- amount: the line's total_ht = net of discounts, without tax, in the
--   company's currency (multicurrency_total_ht is the order currency).
-- Only entity 1 (see customers.sql).
SELECT CAST(o.rowid AS CHAR)       AS order_id,
       CAST(o.fk_soc AS CHAR)      AS customer_id,
       o.date_commande             AS order_date,
       CAST(d.fk_product AS CHAR)  AS product_id,
       (SELECT MIN(c.label)
          FROM llx_categorie_product cp
          JOIN llx_categorie c ON c.rowid = cp.fk_categorie
         WHERE cp.fk_product = d.fk_product AND c.type = 0) AS category,
       d.total_ht                  AS amount
FROM llx_commande o
JOIN llx_commandedet d ON d.fk_commande = o.rowid
WHERE o.fk_statut IN (1, 2, 3)
  AND d.product_type IN (0, 1)
  AND o.entity = 1
