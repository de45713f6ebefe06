-- TOTVS Protheus 12 profile: invoices
-- cskpi:default suffix=010
-- Outgoing invoices (notas fiscais de saída: SF2 header, SD2 items) and
-- sales returns (devoluções: SD1 items of incoming invoices with D1_TIPO =
-- 'D') as credit notes. Every table is read with D_E_L_E_T_ = ' '; a
-- cancelled invoice is deleted (D_E_L_E_T_ = '*') and so left out. Table
-- suffix: {{suffix}} (see customers.sql).
--
-- Invoices: SF2 rows with at least one item of type 'N' (normal sale,
-- D2_TIPO = 'N'; remessas of other types are left out).
-- invoice_id: branch, series and number, F2_FILIAL-F2_SERIE-F2_DOC.
-- customer_id: F2_CLIENTE-F2_LOJA, as in customers.sql.
-- invoice_date: F2_EMISSAO (CHAR(8) YYYYMMDD; blank gives NULL).
-- amount: the sum of the items' D2_TOTAL (goods value, without taxes).
-- due_date and paid_date come from the receivables the invoice created
--   (SE1 titles with E1_TIPO = 'NF', prefix F2_PREFIXO, number F2_DUPL, same
--   branch and customer; one title per installment, E1_PARCELA):
--   due_date = the latest E1_VENCREA (real due date) of its installments;
--   paid_date = the latest E1_BAIXA (write-off date) once every installment
--   is settled (E1_SALDO = 0), else NULL. An invoice without titles (its
--   TES creates no receivable) has neither.
--
-- Credit notes: one per return document (SD1 items with D1_TIPO = 'D',
-- grouped by branch, series, number and customer).
-- invoice_id: 'DEV-' then branch, series, number and customer.
-- customer_id: D1_FORNECE-D1_LOJA (on a return, Protheus keeps the customer
--   code in the supplier columns).
-- invoice_date: D1_DTDIGIT, the date the return was entered.
-- amount: minus the sum of D1_TOTAL. due_date and paid_date: NULL.
SELECT CONCAT_WS('-', NULLIF(TRIM(F2.F2_FILIAL), ''), NULLIF(TRIM(F2.F2_SERIE), ''), TRIM(F2.F2_DOC)) AS invoice_id,
       TRIM(F2.F2_CLIENTE) || '-' || TRIM(F2.F2_LOJA)                    AS customer_id,
       CASE WHEN F2.F2_EMISSAO ~ '^[0-9]{8}$' THEN TO_DATE(F2.F2_EMISSAO, 'YYYYMMDD') END AS invoice_date,
       R.due_date                                                        AS due_date,
       R.paid_date                                                       AS paid_date,
       D2.total                                                          AS amount,
       'invoice'                                                         AS kind
FROM SF2{{suffix}} F2
JOIN (SELECT D2_FILIAL, D2_DOC, D2_SERIE, D2_CLIENTE, D2_LOJA, SUM(D2_TOTAL) AS total
        FROM SD2{{suffix}}
       WHERE D_E_L_E_T_ = ' '
         AND D2_TIPO = 'N'
       GROUP BY D2_FILIAL, D2_DOC, D2_SERIE, D2_CLIENTE, D2_LOJA) D2
  ON D2.D2_FILIAL = F2.F2_FILIAL
 AND D2.D2_DOC = F2.F2_DOC
 AND D2.D2_SERIE = F2.F2_SERIE
 AND D2.D2_CLIENTE = F2.F2_CLIENTE
 AND D2.D2_LOJA = F2.F2_LOJA
LEFT JOIN LATERAL (
  SELECT MAX(CASE WHEN E1.E1_VENCREA ~ '^[0-9]{8}$' THEN TO_DATE(E1.E1_VENCREA, 'YYYYMMDD') END) AS due_date,
         CASE WHEN MAX(E1.E1_SALDO) = 0
              THEN MAX(CASE WHEN E1.E1_BAIXA ~ '^[0-9]{8}$' THEN TO_DATE(E1.E1_BAIXA, 'YYYYMMDD') END)
         END AS paid_date
    FROM SE1{{suffix}} E1
   WHERE E1.D_E_L_E_T_ = ' '
     AND E1.E1_FILIAL = F2.F2_FILIAL
     AND E1.E1_PREFIXO = F2.F2_PREFIXO
     AND E1.E1_NUM = F2.F2_DUPL
     AND E1.E1_CLIENTE = F2.F2_CLIENTE
     AND E1.E1_LOJA = F2.F2_LOJA
     AND E1.E1_TIPO = 'NF'
) R ON TRUE
WHERE F2.D_E_L_E_T_ = ' '

UNION ALL

SELECT CONCAT_WS('-', 'DEV', NULLIF(TRIM(D1_FILIAL), ''), NULLIF(TRIM(D1_SERIE), ''), TRIM(D1_DOC),
                 TRIM(D1_FORNECE), TRIM(D1_LOJA))                        AS invoice_id,
       TRIM(D1_FORNECE) || '-' || TRIM(D1_LOJA)                          AS customer_id,
       MIN(CASE WHEN D1_DTDIGIT ~ '^[0-9]{8}$' THEN TO_DATE(D1_DTDIGIT, 'YYYYMMDD') END) AS invoice_date,
       CAST(NULL AS DATE)                                                AS due_date,
       CAST(NULL AS DATE)                                                AS paid_date,
       -SUM(D1_TOTAL)                                                    AS amount,
       'credit_note'                                                     AS kind
FROM SD1{{suffix}}
WHERE D_E_L_E_T_ = ' '
  AND D1_TIPO = 'D'
GROUP BY D1_FILIAL, D1_SERIE, D1_DOC, D1_FORNECE, D1_LOJA
