package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.contracts.EventContracts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What {@code bin/run-local cancel} sends conforms to contracts/order.cancelled/v1, whatever the reason text. */
class CancelCommandContractTest {

    @Test
    void cancelCommandRecordConformsForAnyReasonText() throws Exception {
        var contracts = new EventContracts();
        String orderId = UUID.randomUUID().toString();
        int checked = 0;
        for (String reason : List.of("cancelled from the command line", "quote \" backslash \\ slash /",
                "line one\nline two\ttab\u0001bell", "émoji 🚫 and \u2028 separator", "")) {
            var record = CancelCommand.record(orderId, reason);
            var headers = new ArrayList<Map.Entry<String, byte[]>>();
            record.headers().forEach(h -> headers.add(Map.entry(h.key(), h.value())));
            Map<String, String> headerMap = EventContracts.headerMap(headers);
            contracts.requireValid("order.cancelled", record.value().getBytes(StandardCharsets.UTF_8), headerMap);
            assertThat(record.key()).isEqualTo(orderId);
            assertThat(record.value()).contains("\"orderId\":\"" + orderId + "\"");
            checked++;
        }
        assertThat(checked).isEqualTo(5);
    }
}
