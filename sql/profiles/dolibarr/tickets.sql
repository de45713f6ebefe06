-- Dolibarr profile: tickets (MySQL / MariaDB; see docs/profiles/dolibarr.md)
-- Tickets (llx_ticket, Ticket module) except cancelled ones (fk_statut 9).
-- Statuses: 0 not read, 1 read, 2 assigned, 3 in progress, 5 waiting for
-- information, 7 waiting, 8 closed (resolved), 9 cancelled.
-- Date-times: see docs/profiles/dolibarr.md ("timestamps" setting).
-- customer_id: fk_soc; tickets without a third party (0 or NULL, e.g. sent
--   from the public interface by an unknown e-mail) count in "all" only.
-- opened_at: datec.
-- first_response_at: the first message added to the ticket (agenda events
--   llx_actioncomm with code 'TICKET_MSG' on element type 'ticket').
-- resolved_at: date_close of closed tickets (fk_statut 8). A reopened
--   ticket is open again; reopenings are not counted (reopen_count NULL).
-- channel: 'email' when the ticket has an origin e-mail (created from an
--   e-mail or by an e-mail address through the public interface), else
--   NULL ('unknown'). APPROXIMATION: see docs/profiles/dolibarr.md.
-- category: type_code (COM, HELP, ISSUE, REQUEST, ... from
--   llx_c_ticket_type); use category_code for your own ticket groups.
-- priority: severity_code (LOW, NORMAL, HIGH, BLOCKING, ...).
-- Only entity 1 (see customers.sql).
SELECT CAST(t.rowid AS CHAR)             AS ticket_id,
       CAST(NULLIF(t.fk_soc, 0) AS CHAR) AS customer_id,
       t.datec                           AS opened_at,
       (SELECT MIN(a.datep)
          FROM llx_actioncomm a
         WHERE a.code = 'TICKET_MSG' AND a.elementtype = 'ticket'
           AND a.fk_element = t.rowid)   AS first_response_at,
       CASE WHEN t.fk_statut = 8 THEN t.date_close END AS resolved_at,
       CASE WHEN COALESCE(t.origin_email, '') <> '' THEN 'email' END AS channel,
       NULLIF(t.type_code, '')           AS category,
       NULLIF(t.severity_code, '')       AS priority,
       CAST(NULL AS SIGNED)              AS reopen_count
FROM llx_ticket t
WHERE COALESCE(t.fk_statut, 0) <> 9
  AND t.entity = 1
