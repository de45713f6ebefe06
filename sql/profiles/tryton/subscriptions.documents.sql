-- Tryton 6.0 profile: subscriptions, the subscription lines that exist
-- (any state; the key as in subscriptions.sql): one cskpi holds that is not
-- listed here was deleted.
-- cskpi:requires sale_subscription_line
SELECT CAST(l.subscription AS TEXT) || '-' || CAST(l.id AS TEXT) AS document_id
FROM sale_subscription_line l
