-- demo profile: subscriptions, the contracts that exist (in any state):
-- one cskpi holds that is not listed here was deleted from the ERP.
SELECT CAST(s.id AS TEXT) AS document_id
FROM sale_subscription s
