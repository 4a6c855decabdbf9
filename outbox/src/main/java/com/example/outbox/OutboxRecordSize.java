package com.example.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How many bytes a Kafka producer counts for the record a relay sends for an {@link OutboxMessage}, before it
 * sends anything: the producer refuses a record over its {@code max.request.size} ({@code RecordTooLargeException},
 * which the relay treats as poison and parks, G5). Writers use it to keep what they append publishable without
 * shipping a Kafka client.
 *
 * <p>The figure is Kafka's own, {@code AbstractRecords.estimateSizeInBytesUpperBound} for record format v2 (the
 * only one Kafka 4 writes), which {@code KafkaProducer.send} compares with {@code max.request.size}: a record batch
 * header ({@value #RECORD_BATCH_OVERHEAD} bytes) plus the record's largest possible overhead
 * ({@value #MAX_RECORD_OVERHEAD} bytes) plus the varint-prefixed key, value and headers. It does not depend on the
 * compression type. Sources: Apache Kafka {@code DefaultRecordBatch.RECORD_BATCH_OVERHEAD},
 * {@code DefaultRecord.MAX_RECORD_OVERHEAD} and {@code DefaultRecord.sizeOf}; {@code OutboxRecordSizeTest} holds it
 * equal to the kafka-clients the relay ships.
 */
public final class OutboxRecordSize {

    /**
     * Kafka's default producer {@code max.request.size}, 1 MiB; the relay's producer keeps it. Brokers' default
     * {@code message.max.bytes} (and Amazon MSK's default) is 1,048,588, this plus the 12-byte log overhead.
     */
    public static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    /**
     * Bytes to keep free below {@code max.request.size} for compression framing. The producer checks the
     * uncompressed bound against {@code max.request.size}, the broker the compressed batch against
     * {@code message.max.bytes} (12 bytes more by default), and compressing content that does not compress adds
     * framing. Measured on the real broker with 1 MiB of base64 (a dead letter's content,
     * {@code RecordSizeLimitTest}, docs/benchmarks.md): lz4 needs 33 to 48 bytes below the limit, snappy 257 to 512,
     * gzip and zstd none; 16 KiB covers these many times over, also for limits several times larger.
     */
    public static final int COMPRESSION_ALLOWANCE = 16_384;
    /** {@code DefaultRecordBatch.RECORD_BATCH_OVERHEAD}: bytes of a v2 record batch header. */
    static final int RECORD_BATCH_OVERHEAD = 61;
    /** {@code DefaultRecord.MAX_RECORD_OVERHEAD}: a record's length, attributes, timestamp and offset deltas at most. */
    static final int MAX_RECORD_OVERHEAD = 21;

    private OutboxRecordSize() {
    }

    /**
     * @return bytes, what {@code KafkaProducer.send} compares with {@code max.request.size} for the record
     *         {@link com.example.outbox.kafka.KafkaMessagePublisher#record} builds from {@code message}: key = the
     *         aggregate id (UTF-8), value = the payload, headers = {@link OutboxMessage#recordHeaders()}
     */
    public static long upperBound(OutboxMessage message) {
        long size = RECORD_BATCH_OVERHEAD + MAX_RECORD_OVERHEAD;
        size += bytesField(message.aggregateId().getBytes(StandardCharsets.UTF_8).length);
        size += bytesField(message.payload().length);
        var headers = message.recordHeaders();
        size += varintSize(headers.size());
        for (Map.Entry<String, byte[]> header : headers) {
            size += bytesField(kafkaUtf8Length(header.getKey()));
            size += bytesField(header.getValue().length);
        }
        return size;
    }

    /**
     * Whether the relay can publish {@code message} with a producer whose {@code max.request.size} is
     * {@code maxRequestSize} to a broker that accepts as much, whatever the compression type: its bound is at most
     * {@code maxRequestSize - }{@value #COMPRESSION_ALLOWANCE}.
     */
    public static boolean publishable(OutboxMessage message, int maxRequestSize) {
        return upperBound(message) <= publishableBound(maxRequestSize);
    }

    /** The largest {@link #upperBound} that {@link #publishable} accepts for {@code maxRequestSize}. */
    public static long publishableBound(int maxRequestSize) {
        return (long) maxRequestSize - COMPRESSION_ALLOWANCE;
    }

    /** A varint length prefix and the bytes. */
    private static long bytesField(int length) {
        return varintSize(length) + (long) length;
    }

    /** Bytes of Kafka's zig-zag varint encoding of {@code value} ({@code ByteUtils.sizeOfVarint}). */
    static int varintSize(int value) {
        int zigZag = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((zigZag & 0xffffff80) != 0) {
            bytes++;
            zigZag >>>= 7;
        }
        return bytes;
    }

    /** Kafka's {@code Utils.utf8Length}: a high surrogate counts 4 with the char after it, any other char by its range. */
    static int kafkaUtf8Length(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch <= 0x7F) {
                count++;
            } else if (ch <= 0x7FF) {
                count += 2;
            } else if (Character.isHighSurrogate(ch)) {
                count += 4;
                i++;
            } else {
                count += 3;
            }
        }
        return count;
    }
}
