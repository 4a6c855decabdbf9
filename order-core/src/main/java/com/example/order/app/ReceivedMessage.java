package com.example.order.app;

import java.util.List;
import java.util.Objects;

/**
 * An incoming broker record exactly as it arrived, kept so that a message the service cannot use can be
 * dead-lettered byte for byte.
 *
 * @param topic         source topic
 * @param partition     source partition
 * @param offset        offset in the source partition
 * @param timestamp     record timestamp (epoch millis) as the broker reported it
 * @param timestampType {@code CREATE_TIME} or {@code LOG_APPEND_TIME} (may be null if unknown)
 * @param key           the record key, or null for none
 * @param value         the record value, or null for a tombstone
 * @param headers       the record headers in arrival order (names may repeat)
 */
public record ReceivedMessage(String topic, int partition, long offset, long timestamp, String timestampType,
        byte[] key, byte[] value, List<Header> headers) {

    public ReceivedMessage {
        Objects.requireNonNull(topic, "topic");
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** {@code topic-partition-offset}: where the record sits; unique per record in the cluster. */
    public String position() {
        return topic + "-" + partition + "-" + offset;
    }

    /** One record header; the value is raw bytes (may be null). */
    public record Header(String name, byte[] value) {
        public Header {
            Objects.requireNonNull(name, "name");
        }
    }
}
