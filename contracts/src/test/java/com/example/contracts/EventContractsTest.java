package com.example.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator accepts the documented examples and rejects records that break them (so the checks elsewhere can fail). */
class EventContractsTest {

    static final EventContracts CONTRACTS = new EventContracts();
    static final String CREATED = """
            {"eventId":"a3c5b0f2-1111-4c1e-9d7a-3b2a1c0d9e8f","orderId":"5b1f0a8e-2222-4c1e-9d7a-3b2a1c0d9e8f",
             "customerId":"6f1c2b9e-3333-4c1e-9d7a-3b2a1c0d9e8f","totalAmount":39.98,
             "items":[{"productId":"0b7d1e2f-4444-4c1e-9d7a-3b2a1c0d9e8f","quantity":2,"unitPrice":19.99}],
             "occurredAt":"2026-11-23T12:00:00.123456Z"}""";

    /** The CloudEvents headers of a documented example of {@code type} (v1), as its {@code source} writes them. */
    static Map<String, String> cloudEventsHeaders(String type, String source) {
        var h = new LinkedHashMap<String, String>();
        h.put("ce_id", "a3c5b0f2-1111-4c1e-9d7a-3b2a1c0d9e8f");
        h.put("ce_type", type);
        h.put("ce_source", source);
        h.put("ce_specversion", "1.0");
        h.put("ce_time", "2026-11-23T12:00:00.123456Z");
        h.put("content-type", "application/json");
        h.put("ce_dataschema", EventContracts.dataSchema(type, 1));
        return h;
    }

    static Map<String, String> createdHeaders() {
        return cloudEventsHeaders("order.created", "/order-service/create-order-fn");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void documentedOrderCreatedConforms() {
        assertThat(CONTRACTS.violations("order.created", utf8(CREATED), createdHeaders())).isEmpty();
    }

    @Test
    void brokenOrderCreatedIsReported() {
        assertThat(CONTRACTS.violations("order.created", utf8(CREATED.replace("\"quantity\":2", "\"quantity\":0")
                .replace("5b1f0a8e-2222", "not-a-uuid")), createdHeaders()))
                .hasSize(2).anyMatch(v -> v.contains("/orderId")).anyMatch(v -> v.contains("/items/0/quantity"));
        var headers = createdHeaders();
        headers.remove("ce_id");
        headers.put("ce_time", "yesterday");
        assertThat(CONTRACTS.violations("order.created", utf8(CREATED), headers))
                .hasSize(2).allMatch(v -> v.startsWith("headers: "));
        assertThat(CONTRACTS.violations("order.created", utf8("{\"orderId\":"), createdHeaders()))
                .singleElement().asString().startsWith("value: not JSON");
    }

    @Test
    void ceDataschemaSelectsTheVersionAndMustNameThisType() {
        var headers = createdHeaders();
        headers.put("ce_dataschema", EventContracts.dataSchema("order.cancelled", 1));
        assertThat(CONTRACTS.violations("order.created", utf8(CREATED), headers))
                .singleElement().asString().contains("is not a contract of order.created");
        headers.put("ce_dataschema", EventContracts.dataSchema("order.created", 9));
        assertThatThrownBy(() -> CONTRACTS.violations("order.created", utf8(CREATED), headers))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v9.schema.json");
        assertThatThrownBy(() -> CONTRACTS.requireValid("order.created", utf8("{}"), createdHeaders()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("required property 'eventId'");
    }

    @Test
    void bareOrderCancelledWithoutHeadersConformsAndUnknownFieldsAreAllowed() {
        assertThat(CONTRACTS.violations("order.cancelled",
                utf8("{\"orderId\":\"5b1f0a8e-2222-4c1e-9d7a-3b2a1c0d9e8f\",\"reason\":\"customer request\"}"), Map.of()))
                .isEmpty();
        assertThat(CONTRACTS.violations("order.cancelled",
                utf8("{\"orderId\":\"5b1f0a8e-2222-4c1e-9d7a-3b2a1c0d9e8f\",\"channel\":{\"app\":\"ios\"}}"), Map.of()))
                .isEmpty();
        assertThat(CONTRACTS.violations("order.cancelled", utf8("{\"reason\":\"no id\"}"), Map.of("ce_type", "order.created")))
                .hasSize(2);
    }

    static final String OMITTED_DEAD_LETTER = """
            {"dlqVersion":1,"consumer":"cancel-consumer-fn","messageKey":"offset:order.cancelled-0-15",
             "error":{"kind":"MALFORMED_JSON","message":"value is not JSON"},"deadLetteredAt":"2026-11-23T12:00:00.123456Z",
             "source":{"topic":"order.cancelled","partition":0,"offset":15,"timestamp":1795435200000,"timestampType":"CREATE_TIME"},
             "key":"MGI3ZDFlMmY=","value":null,"headers":[{"name":"traceparent","value":null}],
             "payloadOmitted":{"reason":"TOO_LARGE","parts":["value"],"limitBytes":1048576,"completeRecordBytes":1398305,
              "detail":"too large","original":{"sizeBytes":1048519,"keyBytes":8,
              "keySha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","valueBytes":1048500,
              "valueSha256":"60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752","headerCount":1,
              "headerBytes":11}}}""";

    static Map<String, String> deadLetterHeaders() {
        var h = cloudEventsHeaders("order.cancelled.dlq", "/order-service/cancel-consumer-fn");
        h.put("dlq-error-kind", "MALFORMED_JSON");
        h.put("dlq-error", "value is not JSON");
        h.put("dlq-consumer", "cancel-consumer-fn");
        h.put("dlq-source-topic", "order.cancelled");
        h.put("dlq-source-partition", "0");
        h.put("dlq-source-offset", "15");
        h.put("dlq-payload-omitted", "value");
        return h;
    }

    @Test
    void deadLetterWithOmittedPayloadConformsAndItsDigestsAreChecked() {
        assertThat(CONTRACTS.violations("order.cancelled.dlq", utf8(OMITTED_DEAD_LETTER), deadLetterHeaders())).isEmpty();
        assertThat(CONTRACTS.violations("order.cancelled.dlq",
                utf8(OMITTED_DEAD_LETTER.replace("\"keySha256\":\"9f86", "\"keySha256\":\"9F86")
                        .replace("\"parts\":[\"value\"]", "\"parts\":[]")), deadLetterHeaders()))
                .hasSize(2).anyMatch(v -> v.contains("/payloadOmitted/original/keySha256"))
                .anyMatch(v -> v.contains("/payloadOmitted/parts"));
        var headers = deadLetterHeaders();
        headers.put("dlq-payload-omitted", "body");
        assertThat(CONTRACTS.violations("order.cancelled.dlq", utf8(OMITTED_DEAD_LETTER), headers))
                .singleElement().asString().contains("dlq-payload-omitted");
    }

    @Test
    void headerMapRejectsRepeatedAndNonUtf8Headers() {
        assertThat(EventContracts.headerMap(List.of(Map.entry("a", utf8("1")), Map.entry("b", utf8("2")))))
                .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThatThrownBy(() -> EventContracts.headerMap(List.of(Map.entry("a", utf8("1")), Map.entry("a", utf8("2")))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("more than once");
        assertThatThrownBy(() -> EventContracts.headerMap(List.of(Map.entry("a", new byte[] {(byte) 0xff}))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not UTF-8");
    }
}
