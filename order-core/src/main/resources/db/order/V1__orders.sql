-- Orders are the source of truth; the outbox (db/outbox) only carries what is to be published about them.
create table orders (
    id             uuid          primary key,
    customer_id    uuid          not null,
    status         text          not null check (status in ('CREATED', 'CANCELLED')),
    -- Computed by the service from the items; stored so reads and reports need no join.
    total_amount   numeric(19,2) not null check (total_amount >= 0),
    cancel_reason  text,
    cancelled_at   timestamptz,
    created_at     timestamptz   not null,
    updated_at     timestamptz   not null,
    -- Optimistic lock: every update checks and increments it.
    version        bigint        not null default 0,
    check ((status = 'CANCELLED') = (cancelled_at is not null))
);

create index orders_customer_created on orders (customer_id, created_at);

create table order_items (
    order_id    uuid          not null references orders (id) on delete cascade,
    line_no     integer       not null,             -- keeps the client's item order
    product_id  uuid          not null,
    quantity    integer       not null check (quantity > 0),
    unit_price  numeric(19,2) not null check (unit_price > 0),
    primary key (order_id, line_no)
);

-- Idempotency-Key -> the order it created. Inserted first in the create transaction (the primary key makes a
-- concurrent request with the same key wait), hence the deferred foreign key: the order row follows in the same
-- transaction.
create table idempotency_keys (
    idempotency_key      text        primary key,
    request_fingerprint  text        not null,       -- SHA-256 hex of the canonical request
    order_id             uuid        not null references orders (id) deferrable initially deferred,
    created_at           timestamptz not null default now()
);
