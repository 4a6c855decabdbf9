-- Orders that have no order.created outbox row: the dual-write bug, if it ever happened.
-- An order's event is either still in outbox_message (unpublished) or in outbox_published (published).
-- Only orders inside the checkable window are looked at: retention deletes published-log entries older than
-- RELAY_RETENTION_AGE, so for older orders a missing row proves nothing. Parameter 1: the window in milliseconds
-- (retention age minus a safety margin). The order row and its outbox row commit in one transaction, so no
-- grace period is needed for in-flight orders.
select o.id, o.created_at
  from orders o
 where o.created_at > now() - ? * interval '1 millisecond'
   and not exists (select 1 from outbox_message m
                    where m.aggregate_id = o.id::text
                      and m.event_type = 'order.created')
   and not exists (select 1 from outbox_published p
                    where p.aggregate_id = o.id::text
                      and p.event_type = 'order.created')
 order by o.created_at
 limit 100
