-- ERPNext v15 profile: tickets (MariaDB; see docs/profiles/erpnext.md)
-- Every Issue (tabIssue) of the Support module. (Frappe Helpdesk keeps its
-- tickets in `tabHD Ticket` instead: docs/profiles/erpnext.md shows the
-- SELECT to put here when the helpdesk app is used.)
-- Date-times are naive, in the site's time zone (System Settings): set
-- "timestamps": "local" and "timezone" to that zone.
-- customer_id: the Issue's customer (NULL when raised by a mere e-mail
--   address or a lead: counted in segment "all" only).
-- opened_at: opening_date + opening_time (set when the issue is created),
--   else creation.
-- first_response_at: first_responded_on, set by service-level tracking
--   (Support Settings "Track Service Level Agreement" with an active
--   agreement) when an agent first replies; empty without it (FRT null).
-- resolved_at: for issues in status Resolved or Closed, resolution_date.
--   APPROXIMATION: ERPNext fills resolution_date only with service-level
--   tracking on; without it, the last change of the issue (modified) stands
--   in (a comment added after closing moves it). An issue reopened (back to
--   Open/Replied/On Hold) is open again; reopenings are not counted.
-- channel: 'portal' (raised through the customer portal,
--   via_customer_portal = 1), 'email' (came in through an Email Account),
--   else NULL (entered by an agent: reported as 'unknown').
-- category: issue_type. priority: priority (Issue Priority: Low, Medium,
--   High, or your own).
-- reopen_count: not recorded: NULL.
-- Multi-company sites: add "WHERE i.company = 'Your Company'".
SELECT i.name                       AS ticket_id,
       NULLIF(i.customer, '')       AS customer_id,
       CASE WHEN i.opening_date IS NOT NULL AND i.opening_time IS NOT NULL
            THEN TIMESTAMP(i.opening_date, i.opening_time)
            ELSE i.creation END     AS opened_at,
       i.first_responded_on         AS first_response_at,
       CASE WHEN i.status IN ('Resolved', 'Closed')
            THEN COALESCE(i.resolution_date, i.modified) END AS resolved_at,
       CASE WHEN i.via_customer_portal = 1 THEN 'portal'
            WHEN COALESCE(i.email_account, '') <> '' THEN 'email' END AS channel,
       NULLIF(i.issue_type, '')     AS category,
       NULLIF(i.priority, '')       AS priority,
       CAST(NULL AS SIGNED)         AS reopen_count
FROM `tabIssue` i
