package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * application.yml itself is loaded and its defaults resolve (other tests override the datasource, so check it here),
 * and each value {@link CreateOrderSettings} refuses stops the context at start-up with a message naming the setting.
 */
class ConfigurationTest {

    @Test
    void applicationYmlDefaultsResolve() {
        try (var context = ApplicationContext.builder().deduceEnvironment(false).start()) {
            var env = context.getEnvironment();
            assertThat(env.getProperty("datasources.default.url", String.class))
                    .hasValueSatisfying(url -> assertThat(url).startsWith("jdbc:postgresql://"));
            assertThat(env.getProperty("datasources.default.maximum-pool-size", Integer.class)).contains(2);
            assertThat(env.getProperty("datasources.default.minimum-idle", Integer.class)).contains(0);
            assertThat(env.getProperty("datasources.default.allow-pool-suspension", Boolean.class)).contains(true);
            assertThat(env.getProperty("create-order.event-source", String.class)).contains("/order-service/create-order-fn");
            assertThat(env.getProperty("create-order.max-body-bytes", Integer.class)).contains(65_536);
            assertThat(context.getBean(CreateOrderSettings.class))
                    .isEqualTo(new CreateOrderSettings("/order-service/create-order-fn", 65_536));
        }
    }

    @Test
    void aBlankEventSourceStopsTheStart() {
        assertRefused(Map.of("create-order.event-source", " "), "create-order.event-source (CREATE_ORDER_EVENT_SOURCE)");
    }

    @Test
    void anEventSourceThatIsNoUriReferenceStopsTheStart() {
        assertRefused(Map.of("create-order.event-source", "/order service"),
                "create-order.event-source (CREATE_ORDER_EVENT_SOURCE)");
    }

    @Test
    void aMaxBodyBelowOneByteStopsTheStart() {
        assertRefused(Map.of("create-order.max-body-bytes", 0), "create-order.max-body-bytes (CREATE_ORDER_MAX_BODY_BYTES)");
    }

    @Test
    void aMaxBodyAboveApiGatewaysLimitStopsTheStart() {
        assertRefused(Map.of("create-order.max-body-bytes", CreateOrderSettings.API_GATEWAY_MAX_PAYLOAD_BYTES + 1),
                "create-order.max-body-bytes (CREATE_ORDER_MAX_BODY_BYTES)");
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        assertThat(new CreateOrderSettings("urn:x", 1).maxBodyBytes()).isOne();
        assertThat(new CreateOrderSettings("/s", CreateOrderSettings.API_GATEWAY_MAX_PAYLOAD_BYTES).maxBodyBytes())
                .isEqualTo(10_485_760);
    }

    private static void assertRefused(Map<String, Object> properties, String named) {
        assertThatThrownBy(() -> ApplicationContext.builder().deduceEnvironment(false).properties(properties).start())
                .rootCause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining(named);
    }
}
