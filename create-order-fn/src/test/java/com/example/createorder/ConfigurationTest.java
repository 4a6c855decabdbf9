package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

/** application.yml itself is loaded and its defaults resolve (other tests override the datasource, so check it here). */
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
        }
    }
}
