package com.example.cancel.esm;

import com.amazonaws.services.lambda.runtime.events.KafkaEvent;
import com.example.order.app.ReceivedMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One record of an event source mapping batch, decoded: key and value from base64, header values from the byte
 * arrays Lambda sends. If Lambda's base64 cannot be decoded (never seen, but then the record is unusable rather
 * than a reason to block the partition), the raw text is kept as the bytes and {@link #decodeError()} says why.
 *
 * @param partitionKey the key of the batch's {@code records} map, {@code <topic>-<partition>}; the partial batch
 *                     response identifies records by it
 */
public record EsmRecord(String partitionKey, String topic, int partition, long offset, long timestamp,
        String timestampType, byte[] key, byte[] value, List<ReceivedMessage.Header> headers, String decodeError) {

    public EsmRecord {
        headers = List.copyOf(headers);
    }

    public static EsmRecord from(String partitionKey, KafkaEvent.KafkaEventRecord record) {
        var errors = new ArrayList<String>();
        byte[] key = decode(record.getKey(), "key", errors);
        byte[] value = decode(record.getValue(), "value", errors);
        var headers = new ArrayList<ReceivedMessage.Header>();
        if (record.getHeaders() != null) {
            for (Map<String, byte[]> header : record.getHeaders()) {
                if (header != null) {
                    header.forEach((name, bytes) -> headers.add(new ReceivedMessage.Header(name, bytes)));
                }
            }
        }
        String topic = record.getTopic() != null ? record.getTopic() : topicOf(partitionKey);
        return new EsmRecord(partitionKey, topic, record.getPartition(), record.getOffset(), record.getTimestamp(),
                record.getTimestampType(), key, value, headers, errors.isEmpty() ? null : String.join("; ", errors));
    }

    /**
     * The last value of the named header as UTF-8 text, or null if absent. Lossy on purpose (bytes that are not
     * UTF-8 become U+FFFD): only for comparing with expected values; never use it as an identity or store it.
     */
    public String header(String name) {
        String found = null;
        for (ReceivedMessage.Header h : headers) {
            if (h.name().equals(name) && h.value() != null) {
                found = new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return found;
    }

    /** Every non-null value of the named header, exactly as received, in record order. */
    public List<byte[]> headerValues(String name) {
        var values = new ArrayList<byte[]>();
        for (ReceivedMessage.Header h : headers) {
            if (h.name().equals(name) && h.value() != null) {
                values.add(h.value());
            }
        }
        return values;
    }

    /** {@code topic-partition-offset}. */
    public String position() {
        return topic + "-" + partition + "-" + offset;
    }

    public ReceivedMessage toReceivedMessage() {
        return new ReceivedMessage(topic, partition, offset, timestamp, timestampType, key, value, headers);
    }

    private static byte[] decode(String base64, String what, List<String> errors) {
        if (base64 == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            errors.add(what + " is not valid base64: " + e.getMessage());
            return base64.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String topicOf(String partitionKey) {
        int dash = partitionKey.lastIndexOf('-');
        return dash > 0 ? partitionKey.substring(0, dash) : partitionKey;
    }
}
