-- The inbox remembers what it saw under a key, not only the key (ADR 0027): a SHA-256 fingerprint of the message's
-- content as the consumer defines it (InboxFingerprint for CloudEvents on Kafka). A repeated key with the same
-- fingerprint is a duplicate; with another fingerprint it is a different message that reused the identity, which the
-- consumer must dead-letter instead of skipping. Entries written before this column existed keep NULL ("unknown"):
-- a repeat of such a key is reported as an unverified duplicate and skipped, as it was before, until retention
-- deletes the entry. Nullable and without a default, so adding it rewrites nothing (PostgreSQL 11+).
alter table inbox_message add column fingerprint bytea;
