-- demo profile: tickets
-- Helpdesk tickets, without the archived ones (spam, duplicates).
-- customer_id: the ticket partner's company; NULL for anonymous e-mails.
-- opened_at = create_date (UTC). resolved_at = close_date while the ticket
-- sits in a folded (closing) stage: 'Solved' and 'Closed' both count. The
-- ERP clears close_date on reopening and counts reopenings in reopen_count.
-- channel is lower-cased (email, phone, chat, portal); the ERP's priority
-- codes '0'..'3' become low, normal, high, urgent.
SELECT CAST(t.id AS TEXT)                                AS ticket_id,
       CAST(COALESCE(p.parent_id, t.partner_id) AS TEXT) AS customer_id,
       t.create_date                                     AS opened_at,
       t.first_response_date                             AS first_response_at,
       CASE WHEN s.fold = 1 THEN t.close_date END        AS resolved_at,
       LOWER(ch.name)                                    AS channel,
       c.name                                            AS category,
       CASE t.priority WHEN '0' THEN 'low' WHEN '1' THEN 'normal'
                       WHEN '2' THEN 'high' WHEN '3' THEN 'urgent' END AS priority,
       t.reopen_count                                    AS reopen_count
FROM helpdesk_ticket t
JOIN helpdesk_stage s                    ON s.id = t.stage_id
LEFT JOIN res_partner p                  ON p.id = t.partner_id
LEFT JOIN helpdesk_channel ch            ON ch.id = t.channel_id
LEFT JOIN helpdesk_ticket_category c     ON c.id = t.category_id
WHERE t.active = 1
