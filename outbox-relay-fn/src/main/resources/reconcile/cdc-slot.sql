-- CDC mode (ADR 0080): rows stay in outbox_message after publication, so "pending too long" means nothing there;
-- what matters is that the connector's replication slot exists, is being read, and how much WAL it still holds back.
-- Parameter 1: the slot name (the connector's slot.name).
select active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint as behind_bytes
  from pg_replication_slots
 where slot_name = ?
