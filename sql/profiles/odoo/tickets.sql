-- Odoo 16/17 profile: tickets
-- cskpi:requires helpdesk_ticket, helpdesk_stage, helpdesk_ticket_type
-- Helpdesk tickets of Odoo Enterprise's "helpdesk" module (helpdesk_ticket).
-- Without that module (Odoo Community) the tables above do not exist and
-- the source is left out (its KPIs are reported as unavailable). The OCA
-- module helpdesk_mgmt uses the same table name with other columns (and
-- helpdesk_ticket_stage, not helpdesk_stage): see docs/profiles/odoo.md for
-- its version of this file.
-- Archived tickets (active = false) are left out.
-- ticket_id: helpdesk_ticket.id. customer_id: the commercial partner of the
--   ticket's partner_id (NULL when the ticket has no customer).
-- opened_at: create_date (UTC).
-- resolved_at: close_date, which Odoo sets when the ticket enters a folded
--   (closing) stage and clears when it is reopened (UTC).
-- first_response_at: NULL. Odoo stores no first-response time, only
--   first_response_hours in the team's working hours (see the doc for a
--   mail_message-based adaptation).
-- channel: NULL (the ticket has no channel field).
-- category: the ticket type's name (helpdesk_ticket_type.name, jsonb: the
--   en_US value); NULL (reported 'unknown') without a type.
-- priority: priority '0'..'3' as 'low', 'medium', 'high', 'urgent' (use these
--   words as keys of "sla_hours").
-- reopen_count: NULL (not recorded).
-- Multi-company databases: add "AND t.company_id = <id>".
SELECT CAST(t.id AS TEXT)                      AS ticket_id,
       CAST(cp.commercial_partner_id AS TEXT)  AS customer_id,
       t.create_date                           AS opened_at,
       CAST(NULL AS TIMESTAMP)                 AS first_response_at,
       t.close_date                            AS resolved_at,
       CAST(NULL AS TEXT)                      AS channel,
       tt.name ->> 'en_US'                     AS category,
       CASE t.priority WHEN '0' THEN 'low' WHEN '1' THEN 'medium'
                       WHEN '2' THEN 'high' WHEN '3' THEN 'urgent' END AS priority,
       CAST(NULL AS INTEGER)                   AS reopen_count
FROM helpdesk_ticket t
LEFT JOIN res_partner cp          ON cp.id = t.partner_id
LEFT JOIN helpdesk_ticket_type tt ON tt.id = t.ticket_type_id
WHERE t.active IS NOT FALSE
