-- demo profile: tickets, change capture (see tickets.sql for what is read
-- and why, and order_lines.changes.sql for how changes are found).
-- A ticket counts as changed when it was written (stage, close date,
-- reopening, archiving) or when its partner was written. live = 1 exactly
-- on the rows tickets.sql returns (not archived). Renaming a stage, channel
-- or category is not seen here: the periodic full run covers it.
SELECT CAST(t.id AS TEXT)                                AS ticket_id,
       CAST(COALESCE(p.parent_id, t.partner_id) AS TEXT) AS customer_id,
       t.create_date                                     AS opened_at,
       t.first_response_date                             AS first_response_at,
       CASE WHEN s.fold = 1 THEN t.close_date END        AS resolved_at,
       LOWER(ch.name)                                    AS channel,
       c.name                                            AS category,
       CASE t.priority WHEN '0' THEN 'low' WHEN '1' THEN 'normal'
                       WHEN '2' THEN 'high' WHEN '3' THEN 'urgent' END AS priority,
       t.reopen_count                                    AS reopen_count,
       CASE WHEN t.active = 1 AND s.id IS NOT NULL THEN 1 ELSE 0 END AS live
FROM helpdesk_ticket t
LEFT JOIN helpdesk_stage s               ON s.id = t.stage_id
LEFT JOIN res_partner p                  ON p.id = t.partner_id
LEFT JOIN helpdesk_channel ch            ON ch.id = t.channel_id
LEFT JOIN helpdesk_ticket_category c     ON c.id = t.category_id
WHERE t.write_date >= :since
   OR p.write_date >= :since
