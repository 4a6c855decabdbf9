package com.example.cancel;

import com.example.cancel.CancelBatchProcessor.FailureReporting;
import com.example.order.data.OutboxMessages;
import com.example.outbox.Inbox;
import com.example.outbox.OutboxRecordSize;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.cloudwatchlogs.emf.exception.InvalidNamespaceException;
import software.amazon.cloudwatchlogs.emf.util.Validator;

/**
 * The consumer's settings, {@code cancel-consumer.*} in application.yml, whose {@code ${ENV_VAR:default}}
 * placeholders hold the only defaults (ADR 0018). Checked when the application context starts.
 *
 * @param consumerName     inbox namespace and the "consumer" of dead letters ({@code CANCEL_CONSUMER_NAME}); 1 to
 *                         {@value Inbox#MAX_CONSUMER_BYTES} UTF-8 bytes without U+0000. A bad name would make every
 *                         record fail in the database, and such failures (SQLSTATE class 22/54) are read as the
 *                         record's fault, so it is refused at start-up instead
 * @param eventSource      CloudEvents {@code ce_source} of the dead letters ({@code CANCEL_EVENT_SOURCE}): a non-empty
 *                         URI-reference, as the CloudEvents spec requires
 * @param failureReporting how a transient failure reaches Lambda ({@code CANCEL_FAILURE_REPORTING}): partial-batch or
 *                         fail-invocation
 * @param timeReserveMs    stop taking records with less than this left, in ms ({@code CANCEL_TIME_RESERVE_MS}); above 0
 * @param metricsNamespace CloudWatch namespace of the EMF metrics ({@code CANCEL_METRICS_NAMESPACE}); what the EMF
 *                         library accepts (1–256 of {@code [a-zA-Z0-9._#:/-]})
 * @param deadLetterMaxRecordBytes the relay producer's {@code max.request.size} in bytes
 *                         ({@code CANCEL_DEAD_LETTER_MAX_RECORD_BYTES}), Kafka's default
 *                         {@value OutboxRecordSize#KAFKA_DEFAULT_MAX_REQUEST_SIZE} unless the relay changes it. Dead
 *                         letters are kept {@value OutboxRecordSize#COMPRESSION_ALLOWANCE} bytes below it
 *                         ({@link OutboxRecordSize#publishable}); a larger one leaves the original's value (then key,
 *                         then headers) out, so the relay can publish it instead of parking it. At least
 *                         {@value OutboxMessages#MIN_DEAD_LETTER_RECORD_BYTES}, so the smallest dead letter fits
 * @throws ConfigurationException at start-up, naming every broken rule
 */
@Context
@Requires(property = "cancel-consumer.consumer-name") // only in this function's context, not in another's sharing a test class path
@ConfigurationProperties("cancel-consumer")
record CancelConsumerConfiguration(String consumerName, String eventSource, FailureReporting failureReporting,
        long timeReserveMs, String metricsNamespace, int deadLetterMaxRecordBytes) {

    CancelConsumerConfiguration {
        List<String> broken = new ArrayList<>();
        if (consumerName == null || consumerName.isBlank() || !Utf8Text.storable(consumerName)
                || consumerName.getBytes(StandardCharsets.UTF_8).length > Inbox.MAX_CONSUMER_BYTES) {
            broken.add("cancel-consumer.consumer-name (CANCEL_CONSUMER_NAME) must be 1 to " + Inbox.MAX_CONSUMER_BYTES
                    + " UTF-8 bytes of text without U+0000, was '" + consumerName + "'");
        }
        if (!uriReference(eventSource)) {
            broken.add("cancel-consumer.event-source (CANCEL_EVENT_SOURCE) must be a non-empty URI-reference"
                    + " (CloudEvents source), was '" + eventSource + "'");
        }
        if (failureReporting == null) {
            broken.add("cancel-consumer.failure-reporting (CANCEL_FAILURE_REPORTING) is not set (partial-batch or"
                    + " fail-invocation)");
        }
        if (timeReserveMs <= 0) {
            broken.add("cancel-consumer.time-reserve-ms (CANCEL_TIME_RESERVE_MS) must be above zero, was " + timeReserveMs);
        }
        try {
            Validator.validateNamespace(metricsNamespace);
        } catch (InvalidNamespaceException e) {
            broken.add("cancel-consumer.metrics-namespace (CANCEL_METRICS_NAMESPACE): " + e.getMessage());
        }
        if (deadLetterMaxRecordBytes < OutboxMessages.MIN_DEAD_LETTER_RECORD_BYTES) {
            broken.add("cancel-consumer.dead-letter-max-record-bytes (CANCEL_DEAD_LETTER_MAX_RECORD_BYTES) must be at"
                    + " least " + OutboxMessages.MIN_DEAD_LETTER_RECORD_BYTES + " (the relay producer's max.request.size,"
                    + " Kafka's default " + OutboxRecordSize.KAFKA_DEFAULT_MAX_REQUEST_SIZE + "), was "
                    + deadLetterMaxRecordBytes);
        }
        if (!broken.isEmpty()) {
            throw new ConfigurationException("Invalid cancel-consumer configuration: " + String.join("; ", broken));
        }
    }

    private static boolean uriReference(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        try {
            new URI(text);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
