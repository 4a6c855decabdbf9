package com.example.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Judges one schedule after the system has drained: reads the database and every topic and checks the guarantees
 * of docs/guarantees.md end to end. Each violation names the ids involved, so that the history can be cut down to
 * the lines about them.
 *
 * <p>It judges what a consumer sees (records on the topics, deduplicated on {@code ce_id}) and what a client was
 * told (its 201 answers), against the committed state of the database. It uses no relay bookkeeping except
 * {@code outbox_published}'s id, the commit-order sequence number of each delivered event.
 */
final class Checker {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A broken guarantee: which, what exactly, and the ids to cut the history down to. */
    record Violation(String guarantee, String detail, Set<String> ids) {
        @Override
        public String toString() {
            return guarantee + ": " + detail;
        }
    }

    /** What was checked, for the campaign's totals. */
    record Counts(int orders, int acknowledged, int createdRecords, int deadLetterRecords, int inputs,
            int cancelledOrders) {
    }

    private final List<Violation> violations = new ArrayList<>();
    Counts counts;

    List<Violation> check(DataSource db, List<OrderClients.Request> requests, List<Topics.Rec> created,
            List<Topics.Rec> deadLetters, List<Topics.Rec> inputs) throws SQLException {
        Map<UUID, OrderRow> orders = new HashMap<>();
        Map<String, Long> sequence = new HashMap<>(); // ce_id -> outbox id (commit order)
        Map<String, UUID> keys = new HashMap<>();
        int inboxRows;
        int pending;
        try (Connection c = db.getConnection()) {
            try (var rs = c.createStatement().executeQuery(
                    "select id, customer_id, status, total_amount, cancel_reason, created_at, version from orders")) {
                while (rs.next()) {
                    var id = rs.getObject(1, UUID.class);
                    orders.put(id, new OrderRow(id, rs.getObject(2, UUID.class), rs.getString(3), rs.getBigDecimal(4),
                            rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getLong(7),
                            new ArrayList<>()));
                }
            }
            try (var rs = c.createStatement().executeQuery(
                    "select order_id, product_id, quantity, unit_price from order_items order by order_id, line_no")) {
                while (rs.next()) {
                    var row = orders.get(rs.getObject(1, UUID.class));
                    row.items().add(rs.getObject(2, UUID.class) + "x" + rs.getInt(3) + "@" + rs.getBigDecimal(4).stripTrailingZeros().toPlainString());
                }
            }
            try (var rs = c.createStatement().executeQuery("select message_id, id from outbox_published")) {
                while (rs.next()) {
                    sequence.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (var rs = c.createStatement().executeQuery("select idempotency_key, order_id from idempotency_keys")) {
                while (rs.next()) {
                    keys.put(rs.getString(1), rs.getObject(2, UUID.class));
                }
            }
            try (var rs = c.createStatement().executeQuery("select count(*) from inbox_message")) {
                rs.next();
                inboxRows = rs.getInt(1);
            }
            try (var rs = c.createStatement().executeQuery("select count(*) from outbox_message")) {
                rs.next();
                pending = rs.getInt(1);
            }
        }
        if (pending != 0) {
            violate("drained", pending + " outbox rows still pending or parked after the drain", Set.of());
        }

        // order.created: no lost event, no phantom, one event id per order, order per aggregate.
        Map<String, Set<String>> eventIdsByOrder = new HashMap<>();
        for (var r : created) {
            eventIdsByOrder.computeIfAbsent(r.key(), k -> new LinkedHashSet<>()).add(r.header("ce_id"));
            UUID id = parseUuid(r.key());
            if (id == null || !orders.containsKey(id)) {
                violate("no phantom", "order.created " + r.position() + " key " + r.key() + " has no order", Set.of(String.valueOf(r.key())));
            } else if (!r.key().equals(payloadOrderId(r.value()))) {
                violate("no phantom", "order.created " + r.position() + " key " + r.key() + " carries order "
                        + payloadOrderId(r.value()), Set.of(r.key()));
            }
            if (!sequence.containsKey(r.header("ce_id"))) {
                violate("no phantom", "order.created " + r.position() + " ce_id " + r.header("ce_id")
                        + " was never appended (not in outbox_published)", Set.of(String.valueOf(r.key())));
            }
        }
        for (var order : orders.values()) {
            Set<String> ids = eventIdsByOrder.get(order.id().toString());
            if (ids == null) {
                violate("no lost event", "order " + order.id() + " committed, no order.created on the topic",
                        Set.of(order.id().toString(), order.customerId().toString()));
            } else if (ids.size() != 1) {
                violate("no lost event", "order " + order.id() + " has " + ids.size() + " different event ids " + ids,
                        Set.of(order.id().toString()));
            }
        }
        checkOrderPerAggregate("order.created", created, sequence);
        checkOrderPerAggregate(Cluster.DEAD_LETTERS, deadLetters, sequence);

        // Acknowledged orders and idempotency.
        Map<UUID, Integer> ordersPerCustomer = new HashMap<>();
        orders.values().forEach(o -> ordersPerCustomer.merge(o.customerId(), 1, Integer::sum));
        int acknowledged = 0;
        for (var request : requests) {
            Set<String> orderIds = new LinkedHashSet<>();
            for (var answer : request.answers()) {
                if (answer.status() != 201 && answer.status() != 503) {
                    violate("answers", "customer " + request.customerId() + " key " + request.key() + " got "
                            + answer.status() + " " + answer.body(), Set.of(request.customerId().toString()));
                }
                if (answer.status() != 201) {
                    continue;
                }
                acknowledged++;
                JsonNode body = readJson(answer.body());
                UUID id = parseUuid(body.path("orderId").asText());
                orderIds.add(String.valueOf(id));
                OrderRow row = id == null ? null : orders.get(id);
                if (row == null) {
                    violate("no acknowledged order lost", "201 for order " + id + " (customer " + request.customerId()
                            + ") but it is not in the database", Set.of(String.valueOf(id), request.customerId().toString()));
                } else if (!row.matches(body)) {
                    violate("no acknowledged order lost", "201 body " + answer.body() + " differs from the database "
                            + row, Set.of(id.toString()));
                }
            }
            int stored = ordersPerCustomer.getOrDefault(request.customerId(), 0);
            if (request.key() != null) {
                if (orderIds.size() > 1) {
                    violate("idempotency", "key " + request.key() + " answered with different orders " + orderIds,
                            Set.of(request.key()));
                }
                if (stored > 1) {
                    violate("idempotency", "key " + request.key() + " produced " + stored + " orders", Set.of(request.key()));
                }
                UUID keyed = keys.get(request.key());
                if (!orderIds.isEmpty() && !orderIds.contains(String.valueOf(keyed))) {
                    violate("idempotency", "key " + request.key() + " is stored for order " + keyed + ", answered "
                            + orderIds, Set.of(request.key()));
                }
            } else if (stored > 1) {
                violate("idempotency", "one unkeyed request (customer " + request.customerId() + ") produced " + stored
                        + " orders", Set.of(request.customerId().toString()));
            }
        }

        // Cancellations: exactly once in effect; dead letters only and always for poison.
        Map<String, Topics.Rec> firstByInboxKey = new LinkedHashMap<>();
        for (var input : inputs) {
            firstByInboxKey.putIfAbsent(inboxKey(input), input);
        }
        Map<UUID, Topics.Rec> firstCancellation = new HashMap<>();
        Map<String, Topics.Rec> poisonByInboxKey = new HashMap<>();
        for (var input : firstByInboxKey.values()) {
            if ("apply".equals(input.header(CancellationPublisher.EXPECT_HEADER))) {
                firstCancellation.putIfAbsent(UUID.fromString(input.key()), input);
            } else {
                poisonByInboxKey.put(inboxKey(input), input);
            }
        }
        int cancelled = 0;
        for (var order : orders.values()) {
            Topics.Rec first = firstCancellation.get(order.id());
            if (first == null) {
                if (!order.status().equals("CREATED") || order.version() != 0) {
                    violate("exactly once in effect", "order " + order.id() + " was never cancelled but is "
                            + order.status() + " version " + order.version(), Set.of(order.id().toString()));
                }
                continue;
            }
            cancelled++;
            String reason = readJson(first.value()).path("reason").asText();
            if (!order.status().equals("CANCELLED") || order.version() != 1 || !reason.equals(order.cancelReason())) {
                violate("exactly once in effect", "order " + order.id() + " first cancelled by " + first.position()
                        + " (reason " + reason + ") but is " + order.status() + " version " + order.version()
                        + " reason " + order.cancelReason(), Set.of(order.id().toString()));
            }
        }
        for (UUID cancelledOrder : firstCancellation.keySet()) {
            if (!orders.containsKey(cancelledOrder)) {
                violate("exactly once in effect", "a cancellation names order " + cancelledOrder
                        + ", which is not in the database", Set.of(cancelledOrder.toString()));
            }
        }
        if (inboxRows != firstByInboxKey.size()) {
            violate("exactly once in effect", "inbox holds " + inboxRows + " messages, the topic "
                    + firstByInboxKey.size() + " distinct ones", Set.of());
        }
        Map<String, Topics.Rec> inputsByPosition = new HashMap<>();
        inputs.forEach(i -> inputsByPosition.put(i.partition() + "/" + i.offset(), i));
        Set<String> deadLettered = new LinkedHashSet<>();
        for (var letter : deadLetters) {
            String source = letter.header("dlq-source-partition") + "/" + letter.header("dlq-source-offset");
            Topics.Rec input = inputsByPosition.get(source);
            if (input == null || !"dead-letter".equals(input.header(CancellationPublisher.EXPECT_HEADER))) {
                violate("dead letters", "dead letter " + letter.position() + " (" + letter.header("dlq-error-kind")
                        + ": " + letter.header("dlq-error") + ") for input " + source + " which is "
                        + (input == null ? "not an input of this schedule" : "a valid cancellation of " + input.key()),
                        Set.of(String.valueOf(letter.key()), input == null ? "-" : input.key()));
            } else {
                deadLettered.add(inboxKey(input));
            }
            if (!sequence.containsKey(letter.header("ce_id"))) {
                violate("no phantom", "dead letter " + letter.position() + " was never appended", Set.of());
            }
        }
        for (var poison : poisonByInboxKey.entrySet()) {
            if (!deadLettered.contains(poison.getKey())) {
                violate("dead letters", "poison input " + poison.getValue().position() + " (key " + poison.getValue().key()
                        + ") has no dead letter", Set.of(poison.getValue().key()));
            }
        }
        counts = new Counts(orders.size(), acknowledged, created.size(), deadLetters.size(), inputs.size(), cancelled);
        return violations;
    }

    /** Per aggregate (Kafka key), the first delivery of each event (by ce_id) in commit (outbox id) order. */
    private void checkOrderPerAggregate(String topic, List<Topics.Rec> records, Map<String, Long> sequence) {
        Map<String, List<Topics.Rec>> byKey = new HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (var r : records) { // partition, then offset order: one key lives in one partition
            if (seen.add(r.header("ce_id"))) {
                byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            }
        }
        for (var entry : byKey.entrySet()) {
            long previous = Long.MIN_VALUE;
            for (var r : entry.getValue()) {
                Long seq = sequence.get(r.header("ce_id"));
                if (seq == null) {
                    continue; // reported as a phantom
                }
                if (seq < previous) {
                    violate("per-aggregate order", topic + " key " + entry.getKey() + ": first delivery of outbox row "
                            + seq + " at " + r.position() + " after row " + previous, Set.of(String.valueOf(entry.getKey())));
                }
                previous = Math.max(previous, seq);
            }
        }
    }

    /** The consumer's inbox key: ce_id, else the payload's eventId, else the position (README, ADR 0020). */
    static String inboxKey(Topics.Rec input) {
        if (input.header("ce_id") != null) {
            return input.header("ce_id");
        }
        String eventId = readJson(input.value()).path("eventId").asText(null);
        return eventId != null ? eventId : input.position();
    }

    private void violate(String guarantee, String detail, Set<String> ids) {
        violations.add(new Violation(guarantee, detail, ids));
    }

    private static String payloadOrderId(String value) {
        return readJson(value).path("orderId").asText(null);
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text == null ? "null" : text);
        } catch (Exception e) {
            return JSON.missingNode();
        }
    }

    private static UUID parseUuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An order as stored. */
    record OrderRow(UUID id, UUID customerId, String status, BigDecimal total, String cancelReason, Instant createdAt,
            long version, List<String> items) {

        /** Whether a 201 body describes this order: id, customer, total, creation time and items. */
        boolean matches(JsonNode body) {
            List<String> answered = new ArrayList<>();
            body.path("items").forEach(i -> answered.add(i.path("productId").asText() + "x" + i.path("quantity").asInt()
                    + "@" + new BigDecimal(i.path("unitPrice").asText()).stripTrailingZeros().toPlainString()));
            return id.toString().equals(body.path("orderId").asText())
                    && customerId.toString().equals(body.path("customerId").asText())
                    && total.compareTo(new BigDecimal(body.path("totalAmount").asText("-1"))) == 0
                    && Objects.equals(createdAt, Instant.parse(body.path("createdAt").asText("1970-01-01T00:00:00Z")))
                    && items.equals(answered);
        }
    }
}
