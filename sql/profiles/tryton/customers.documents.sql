-- Tryton 6.0 profile: customers, the parties that exist: one cskpi holds
-- that is not listed here was deleted.
SELECT CAST(p.id AS TEXT) AS document_id
FROM party_party p
