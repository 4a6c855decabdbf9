-- The CDC relay's heartbeat table (ADR 0082). Its connector (relay_mode = msk_connect, or bin/run-local --relay=cdc)
-- upserts its one row every heartbeat.interval.ms (heartbeat.action.query in cdc-relay's outbox-connector.json), and
-- the table is in the connector's publication: so the connector reads a change, and confirms a newer WAL position to
-- its replication slot, even while the outbox gets no rows and other tables (orders, inbox) keep writing WAL. Without
-- it the slot would hold that WAL until the next outbox row. Its changes are dropped before the outbox router and are
-- never published. Unused (and empty) with the polling relay.
create table outbox_cdc_heartbeat (
    id      smallint    primary key check (id = 1),
    beat_at timestamptz not null
);
