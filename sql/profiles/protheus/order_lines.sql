-- TOTVS Protheus 12 profile: order_lines
-- cskpi:default suffix=010
-- Sales order items (SC6) of normal sales orders (SC5 header, C5_TIPO = 'N';
-- other types - devolução, complemento, beneficiamento - are left out).
-- Protheus has no order status column: every live order counts from its
-- issue date, invoiced or not. Every table is read with D_E_L_E_T_ = ' '
-- (deleted rows are marked '*', never removed). Table suffix: {{suffix}}
-- (see customers.sql).
-- order_id: branch and number, C5_FILIAL-C5_NUM ('01-000456'; just the
--   number when the branch is blank).
-- customer_id: C5_CLIENTE-C5_LOJACLI, as in customers.sql.
-- order_date: C5_EMISSAO (CHAR(8) YYYYMMDD); blank gives NULL (the row is
--   skipped and reported in data quality).
-- product_id: C6_PRODUTO.
-- category: the product group of the product (SB1.B1_GRUPO) as described in
--   SBM (BM_DESC), or the group code when SBM has no description; NULL
--   (reported 'unknown') when the product has no group. The product is looked
--   up in the item's branch, else in the shared (blank) branch; its group in
--   the product's branch, else in the blank one. Each lookup yields at most
--   one row, so an item is never counted twice.
-- amount: C6_VALOR, the item's total (quantity x net unit price), in the
--   order's currency; orders in another currency (C5_MOEDA <> 1) are not
--   converted (see docs/profiles/protheus.md).
WITH products AS (
  -- One row per product and branch: its group's description (or code).
  SELECT DISTINCT ON (B1.B1_FILIAL, B1.B1_COD)
         B1.B1_FILIAL                                                    AS filial,
         B1.B1_COD                                                       AS code,
         COALESCE(NULLIF(TRIM(BM.BM_DESC), ''), TRIM(B1.B1_GRUPO))       AS category
    FROM SB1{{suffix}} B1
    LEFT JOIN SBM{{suffix}} BM
           ON BM.BM_GRUPO = B1.B1_GRUPO
          AND BM.D_E_L_E_T_ = ' '
          AND (BM.BM_FILIAL = B1.B1_FILIAL OR TRIM(BM.BM_FILIAL) = '')
   WHERE B1.D_E_L_E_T_ = ' '
     AND TRIM(B1.B1_GRUPO) <> ''
   ORDER BY B1.B1_FILIAL, B1.B1_COD, BM.BM_FILIAL DESC
)
SELECT CONCAT_WS('-', NULLIF(TRIM(C5.C5_FILIAL), ''), TRIM(C5.C5_NUM))   AS order_id,
       TRIM(C5.C5_CLIENTE) || '-' || TRIM(C5.C5_LOJACLI)                AS customer_id,
       CASE WHEN C5.C5_EMISSAO ~ '^[0-9]{8}$' THEN TO_DATE(C5.C5_EMISSAO, 'YYYYMMDD') END AS order_date,
       TRIM(C6.C6_PRODUTO)                                               AS product_id,
       COALESCE(PB.category, PS.category)                                AS category,
       C6.C6_VALOR                                                       AS amount
FROM SC6{{suffix}} C6
JOIN SC5{{suffix}} C5
  ON C5.C5_FILIAL = C6.C6_FILIAL
 AND C5.C5_NUM = C6.C6_NUM
 AND C5.D_E_L_E_T_ = ' '
-- the product in the item's branch (SB1 exclusive) ...
LEFT JOIN products PB
  ON PB.code = C6.C6_PRODUTO
 AND PB.filial = C6.C6_FILIAL
 AND TRIM(PB.filial) <> ''
-- ... or in the shared, blank branch (SB1 shared)
LEFT JOIN products PS
  ON PS.code = C6.C6_PRODUTO
 AND TRIM(PS.filial) = ''
WHERE C6.D_E_L_E_T_ = ' '
  AND C5.C5_TIPO = 'N'
