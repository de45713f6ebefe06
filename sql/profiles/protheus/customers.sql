-- TOTVS Protheus 12 profile: customers
-- cskpi:default suffix=010
-- Customers (SA1, "Clientes"). Physical table names are the alias plus a
-- suffix, the company code followed by 0: SA1010 for company 01. The suffix
-- is the placeholder {{suffix}}, 010 unless the configuration sets
--   "source": {..., "parameters": {"suffix": "020"}}
-- Every live row counts (D_E_L_E_T_ = ' '; '*' marks a deleted row).
-- Blocked customers (A1_MSBLQL = '1') are kept: their history counts.
-- customer_id: code and store, A1_COD-A1_LOJA (e.g. '000123-01'): the other
--   files build it the same way from their own customer columns. When SA1 is
--   exclusive per branch (A1_FILIAL filled) and a customer exists in several
--   branches, the row of the lowest A1_FILIAL is used.
-- name: A1_NOME.
-- created_on: A1_DTCAD (CHAR(8) YYYYMMDD); blank (8 spaces, common on legacy
--   rows) or unreadable gives NULL.
-- segment: A1_GRPVEN, the customer group code (NULL when blank, reported
--   'unassigned'). Other choices (A1_SATIV1 activity segment, A1_TIPO, A1_EST
--   state): docs/profiles/protheus.md.
-- PostgreSQL (DBAccess creates lower-case names; the SQL is written
-- unquoted, so either case works).
SELECT DISTINCT ON (A1_COD, A1_LOJA)
       TRIM(A1_COD) || '-' || TRIM(A1_LOJA)     AS customer_id,
       TRIM(A1_NOME)                            AS name,
       CASE WHEN A1_DTCAD ~ '^[0-9]{8}$' THEN TO_DATE(A1_DTCAD, 'YYYYMMDD') END AS created_on,
       NULLIF(TRIM(A1_GRPVEN), '')              AS segment
FROM SA1{{suffix}}
WHERE D_E_L_E_T_ = ' '
ORDER BY A1_COD, A1_LOJA, A1_FILIAL
