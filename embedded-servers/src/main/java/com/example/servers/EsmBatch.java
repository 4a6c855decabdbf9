package com.example.servers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Builds the JSON a Lambda Kafka event source mapping hands to a function, from records read with a plain Kafka
 * consumer: for tests, and for the local runtime's poller, which plays the part of the event source mapping. It
 * lives here, beside the other stand-ins for AWS, so that no deployable jar carries it (infra/checks asserts that).
 *
 * <pre>{@code
 * {"eventSource":"SelfManagedKafka","bootstrapServers":"localhost:9092",
 *  "records":{"order.cancelled-0":[{"topic":"order.cancelled","partition":0,"offset":15,
 *    "timestamp":1700000000000,"timestampType":"CREATE_TIME","key":"<base64>","value":"<base64>",
 *    "headers":[{"ce_id":[49,50,51]}]}]}}
 * }</pre>
 *
 * Records are grouped by {@code <topic>-<partition>} in the order added (add them in offset order, as a consumer
 * returns them); a null key or value is written as JSON null; each header is a one-entry object whose value is
 * the list of its bytes as signed byte values, as the AWS Java events library reads them into {@code byte[]}.
 */
public final class EsmBatch {

    public static final String MSK = "aws:kafka";
    public static final String SELF_MANAGED_KAFKA = "SelfManagedKafka";

    private final String eventSource;
    private final String eventSourceArn;
    private final String bootstrapServers;
    private final Map<String, List<Record>> records = new LinkedHashMap<>();
    private int size;

    private EsmBatch(String eventSource, String eventSourceArn, String bootstrapServers) {
        this.eventSource = eventSource;
        this.eventSourceArn = eventSourceArn;
        this.bootstrapServers = bootstrapServers;
    }

    /** A batch as a self-managed Kafka mapping sends it ({@code eventSource: SelfManagedKafka}, no ARN). */
    public static EsmBatch selfManaged(String bootstrapServers) {
        return new EsmBatch(SELF_MANAGED_KAFKA, null, bootstrapServers);
    }

    /** A batch as an Amazon MSK mapping sends it ({@code eventSource: aws:kafka} with the cluster ARN). */
    public static EsmBatch msk(String clusterArn, String bootstrapServers) {
        return new EsmBatch(MSK, clusterArn, bootstrapServers);
    }

    /** The key of the {@code records} map and the {@code partition} of a partial batch response item. */
    public static String partitionKey(String topic, int partition) {
        return topic + "-" + partition;
    }

    public EsmBatch add(ConsumerRecord<byte[], byte[]> record) {
        var headers = new ArrayList<Map.Entry<String, byte[]>>();
        for (Header header : record.headers()) {
            headers.add(new java.util.AbstractMap.SimpleImmutableEntry<>(header.key(), header.value()));
        }
        return add(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType().name(), record.key(), record.value(), headers);
    }

    public EsmBatch addAll(Iterable<ConsumerRecord<byte[], byte[]>> consumerRecords) {
        consumerRecords.forEach(this::add);
        return this;
    }

    /**
     * @param timestampType {@code CREATE_TIME} or {@code LOG_APPEND_TIME}
     * @param headers       name and value of each header, in record order (values may be null)
     */
    public EsmBatch add(String topic, int partition, long offset, long timestamp, String timestampType, byte[] key,
            byte[] value, List<Map.Entry<String, byte[]>> headers) {
        records.computeIfAbsent(partitionKey(topic, partition), k -> new ArrayList<>())
                .add(new Record(topic, partition, offset, timestamp, timestampType, key, value, List.copyOf(headers)));
        size++;
        return this;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The event as a JSON tree, built with Jackson's tree model like every JSON the tools write (ADR 0019). */
    public String toJson() {
        ObjectNode event = JsonNodeFactory.instance.objectNode().put("eventSource", eventSource);
        if (eventSourceArn != null) {
            event.put("eventSourceArn", eventSourceArn);
        }
        if (bootstrapServers != null) {
            event.put("bootstrapServers", bootstrapServers);
        }
        ObjectNode partitions = event.putObject("records");
        for (var partition : records.entrySet()) {
            ArrayNode list = partitions.putArray(partition.getKey());
            for (Record r : partition.getValue()) {
                ObjectNode record = list.addObject().put("topic", r.topic).put("partition", r.partition)
                        .put("offset", r.offset).put("timestamp", r.timestamp).put("timestampType", r.timestampType)
                        .put("key", base64(r.key)).put("value", base64(r.value));
                ArrayNode headers = record.putArray("headers");
                for (var header : r.headers) {
                    ArrayNode bytes = headers.addObject().putArray(header.getKey());
                    for (byte b : header.getValue() == null ? new byte[0] : header.getValue()) {
                        bytes.add(b);
                    }
                }
            }
        }
        return event.toString();
    }

    /** Base64 (standard alphabet, padded), or null for a null key or value (written as JSON null). */
    private static String base64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    private record Record(String topic, int partition, long offset, long timestamp, String timestampType, byte[] key,
            byte[] value, List<Map.Entry<String, byte[]>> headers) {
    }
}
