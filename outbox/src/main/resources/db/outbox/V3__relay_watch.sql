-- Which relays are watching the outbox right now (ADR 0014). A relay inserts its row when it starts, extends
-- watching_until while it drains or idles, and deletes the row before its last look at the outbox. A writer that
-- committed outbox rows asks "is any row still in the future?" and wakes a relay only when none is. One row per
-- running relay (usually zero or one), so overlapping relays never release each other's watch.
-- Times come from the database clock on both sides, so clock skew between functions does not matter.
create table outbox_relay_watch (
    relay_id       text        primary key,
    watching_until timestamptz not null
);
