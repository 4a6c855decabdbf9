-- order.created rows, published or still pending, whose order does not exist: a phantom event, the other half of the
-- dual-write bug. Only pending rows created, and published rows published, inside the checkable window are looked at
-- (parameters 1 and 2, both the window in milliseconds; outbox_published is indexed on published_at). The CASE guard turns an aggregate id that is not a UUID into null (reported, never
-- a cast error), and lets each row probe the orders primary key instead of scanning the orders table.
select source, id, aggregate_id, created_at
  from (select 'pending' as source, m.id, m.aggregate_id, m.created_at
          from outbox_message m
         where m.event_type = 'order.created'
           and m.created_at > now() - ? * interval '1 millisecond'
        union all
        select 'published', p.id, p.aggregate_id, p.created_at
          from outbox_published p
         where p.event_type = 'order.created'
           and p.published_at > now() - ? * interval '1 millisecond') e
 where not exists (select 1 from orders o
                    where o.id = case when e.aggregate_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
                                      then e.aggregate_id::uuid end)
 order by created_at
 limit 100
