-- Outbox: one row per message not yet published. Written in the caller's transaction, read by the relay, and
-- moved to outbox_published (below) in the transaction that records the broker's acknowledgement.
create table outbox_message (
    -- Sequence order. Per aggregate it is commit order, because writers of one aggregate serialise on
    -- the aggregate's own row lock before they append.
    id             bigint generated always as identity primary key,
    message_id     uuid        not null unique,          -- CloudEvents id (ce_id)
    aggregate_type text        not null,
    -- Kafka key; the unit of ordering. Collation "C": only ever compared for equality, and byte-wise comparison
    -- makes the claim's per-row ordering probe and every index insert cheaper than the database's locale.
    aggregate_id   text collate "C" not null,
    event_type     text        not null,                 -- CloudEvents type (ce_type); the relay maps it to a topic
    source         text        not null,                 -- CloudEvents source (ce_source)
    content_type   text        not null default 'application/json',
    occurred_at    timestamptz not null,                 -- CloudEvents time (ce_time)
    payload        bytea       not null,
    headers        jsonb       not null default '{}'::jsonb,  -- extra headers: traceparent, correlation id, ...
    created_at     timestamptz not null default now(),
    status         text        not null default 'PENDING' check (status in ('PENDING', 'PARKED')),
    attempts       integer     not null default 0,       -- rejected publish attempts; parked at the relay's limit
    available_at   timestamptz not null default now(),   -- retry backoff: not claimable before this
    last_error     text                                   -- why the last attempt failed (kept when parked)
);

-- The relay's claim walks pending rows in id order (parked rows are left out of the walk).
create index outbox_message_pending on outbox_message (id) where status = 'PENDING';
-- "Is there an earlier row of this aggregate?" - the per-aggregate ordering check of every claim. Every row in
-- this table is unpublished, so any earlier row of the aggregate blocks.
create index outbox_message_aggregate on outbox_message (aggregate_id, id);

-- Published log: what reconciliation and audits need about a published message (not its payload: that is on
-- Kafka). Moving the row here (DELETE + a small INSERT) costs a third of updating it in place: an UPDATE of a
-- ~500-byte row writes a full new row version and entries in every index (ADR 0013).
create table outbox_published (
    id             bigint      primary key,                -- the outbox_message id it had
    message_id     uuid        not null,                   -- CloudEvents id (ce_id)
    aggregate_type text        not null,
    aggregate_id   text collate "C" not null,
    event_type     text        not null,
    created_at     timestamptz not null,                   -- when it was appended to the outbox
    published_at   timestamptz not null default now()      -- when Kafka acknowledged it; retention ages on this
);
-- Retention deletes published rows oldest first, in bounded batches.
create index outbox_published_published_at on outbox_published (published_at);
-- Reconciliation and operators: "does this order have its order.created event?" (equality only). A hash index:
-- each mark inserts one entry per row at a random place, and a hash entry (4-byte hash code) is far cheaper to add
-- than a btree entry on the 36-character key (mark of 2,000 rows: ~10 ms instead of ~14 ms, docs/benchmarks.md).
create index outbox_published_aggregate on outbox_published using hash (aggregate_id);

-- Inbox: one row per message a consumer has applied. The primary key is the dedupe.
create table inbox_message (
    consumer     text        not null,
    message_key  text        not null,
    received_at  timestamptz not null default now(),
    primary key (consumer, message_key)
);
-- Retention deletes the oldest entries first (RELAY_INBOX_RETENTION_AGE).
create index inbox_message_received_at on inbox_message (received_at);
