package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.example.servers.TestLambdaContext;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.crac.OrderedResource;
import io.micronaut.crac.test.CheckpointSimulator;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.micronaut.json.JsonMapper;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * SnapStart's hooks (micronaut-crac, ADR 0051/0052): before the snapshot the pool is suspended and its connections
 * closed (a snapshot must not carry open sockets); after the restore it resumes and the next request opens a fresh
 * connection and commits. Driven through micronaut-crac's own {@link CheckpointSimulator}, which calls every
 * registered {@link OrderedResource}'s beforeCheckpoint/afterRestore in their order, on a real context and
 * PostgreSQL.
 */
class SnapStartRestoreHooksTest {

    @Test
    void afterCheckpointAndRestoreTheNextRequestReconnectsAndCommits() throws Exception {
        try (var handler = new APIGatewayV2HTTPEventFunction(ApplicationContext.run(TestDatabase.properties(), "test"))) {
            ApplicationContext context = handler.getApplicationContext();
            var events = new ApiGatewayEvents(context.getBean(JsonMapper.class));
            HikariDataSource pool = context.getBean(DataSource.class).unwrap(HikariDataSource.class);
            assertThat(pool.isAllowPoolSuspension()).as("datasources.default.allow-pool-suspension").isTrue();
            assertThat(context.getBeansOfType(OrderedResource.class)).as("micronaut-crac's resources, incl. the pool's")
                    .isNotEmpty();

            UUID before = UUID.randomUUID();
            assertThat(post(handler, events, before)).isEqualTo(201);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("connections before the checkpoint").isPositive();

            CheckpointSimulator snapStart = context.getBean(CheckpointSimulator.class);
            snapStart.runBeforeCheckpoint();
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("connections in the snapshot").isZero();

            snapStart.runAfterRestore();
            UUID after = UUID.randomUUID();
            assertThat(post(handler, events, after)).as("first request after the restore").isEqualTo(201);
            assertThat(TestDatabase.ordersOf(before)).isEqualTo(1);
            assertThat(TestDatabase.ordersOf(after)).isEqualTo(1);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("a fresh connection after the restore").isPositive();
        }
    }

    private static int post(APIGatewayV2HTTPEventFunction handler, ApiGatewayEvents events, UUID customerId) {
        APIGatewayV2HTTPEvent event = events.postOrdersFixtureAsIs();
        event.setBody(RequestBodies.valid(customerId));
        return handler.handleRequest(event, new TestLambdaContext()).getStatusCode();
    }
}
