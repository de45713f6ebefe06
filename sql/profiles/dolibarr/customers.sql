-- Dolibarr profile: customers (MySQL / MariaDB; see docs/profiles/dolibarr.md)
-- Third parties (llx_societe) that are customers: client = 1 (customer) or
-- 3 (customer and prospect); pure prospects (2) and suppliers (0) are not.
-- Closed third parties (status = 0) are kept: their history still counts.
-- Only entity 1, the main company: with the Multicompany module, change
-- "s.entity = 1" here and in every other file (e.g. "IN (1, 2)").
-- Tables carry the default prefix llx_ (MAIN_DB_PREFIX); rename them if
-- your installation uses another one.
-- customer_id: rowid. name: nom.
-- created_on: the date of datec (when the third party was created).
-- segment: the customer category (llx_categorie of type 2, linked through
--   llx_categorie_societe) whose label sorts first; NULL (reported as
--   'unassigned') without one. To segment by third-party type instead, use
--   (SELECT t.libelle FROM llx_c_typent t WHERE t.id = s.fk_typent).
SELECT CAST(s.rowid AS CHAR)  AS customer_id,
       s.nom                  AS name,
       CAST(s.datec AS DATE)  AS created_on,
       (SELECT MIN(c.label)
          FROM llx_categorie_societe cs
          JOIN llx_categorie c ON c.rowid = cs.fk_categorie
         WHERE cs.fk_soc = s.rowid AND c.type = 2) AS segment
FROM llx_societe s
WHERE s.client IN (1, 3)
  AND s.entity = 1
