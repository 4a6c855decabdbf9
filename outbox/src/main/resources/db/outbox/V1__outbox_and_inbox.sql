-- Outbox: one row per message to publish. Written in the caller's transaction, read by the relay.
create table outbox_message (
    -- Sequence order. Per aggregate it is commit order, because writers of one aggregate serialise on
    -- the aggregate's own row lock before they append.
    id             bigint generated always as identity primary key,
    message_id     uuid        not null unique,          -- CloudEvents id (ce_id)
    aggregate_type text        not null,
    aggregate_id   text        not null,                 -- Kafka key; the unit of ordering
    event_type     text        not null,                 -- CloudEvents type (ce_type); the relay maps it to a topic
    source         text        not null,                 -- CloudEvents source (ce_source)
    content_type   text        not null default 'application/json',
    occurred_at    timestamptz not null,                 -- CloudEvents time (ce_time)
    payload        bytea       not null,
    headers        jsonb       not null default '{}'::jsonb,  -- extra headers: traceparent, correlation id, ...
    created_at     timestamptz not null default now(),
    status         text        not null default 'PENDING' check (status in ('PENDING', 'PUBLISHED', 'PARKED')),
    attempts       integer     not null default 0,       -- rejected publish attempts; parked at the relay's limit
    available_at   timestamptz not null default now(),   -- retry backoff: not claimable before this
    last_error     text,                                  -- why the last attempt failed (kept when parked)
    published_at   timestamptz                            -- when Kafka acknowledged it; retention ages on this
);

-- The relay's claim walks pending rows in id order; a partial index keeps that walk small however many
-- published rows wait for retention.
create index outbox_message_pending on outbox_message (id) where status = 'PENDING';
-- "Is there an earlier unpublished row of this aggregate?" - the per-aggregate ordering check of every claim.
create index outbox_message_unpublished_aggregate on outbox_message (aggregate_id, id) where status <> 'PUBLISHED';
-- Retention deletes published rows oldest first, in bounded batches.
create index outbox_message_published on outbox_message (published_at) where status = 'PUBLISHED';

-- Inbox: one row per message a consumer has applied. The primary key is the dedupe.
create table inbox_message (
    consumer     text        not null,
    message_key  text        not null,
    received_at  timestamptz not null default now(),
    primary key (consumer, message_key)
);
