-- Outbox rows not published within the threshold (pending, in backoff or parked; outbox_message holds only
-- unpublished rows). Parameter 1: threshold in ms.
select id, aggregate_id, event_type, status, attempts, created_at, last_error
  from outbox_message
 where created_at < now() - ? * interval '1 millisecond'
 order by id
 limit 100
