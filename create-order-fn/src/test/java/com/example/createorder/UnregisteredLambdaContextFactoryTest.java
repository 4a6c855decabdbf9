package com.example.createorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.example.servers.TestLambdaContext;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.LambdaContextFactory;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.micronaut.json.JsonMapper;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Invocations leave no Lambda Context beans behind (the per-request registration cost, docs/benchmarks.md). */
class UnregisteredLambdaContextFactoryTest {

    @Test
    void anInvocationRegistersNeitherContextNorLoggerAndStillCreatesTheOrder() {
        try (var handler = new APIGatewayV2HTTPEventFunction(ApplicationContext.run(TestDatabase.properties()))) {
            ApplicationContext context = handler.getApplicationContext();
            assertThat(context.getBean(LambdaContextFactory.class)).isInstanceOf(UnregisteredLambdaContextFactory.class);
            APIGatewayV2HTTPEvent event = new ApiGatewayEvents(context.getBean(JsonMapper.class)).postOrdersFixtureAsIs();
            event.setBody(RequestBodies.valid(UUID.randomUUID()));

            assertThat(handler.handleRequest(event, new TestLambdaContext()).getStatusCode()).isEqualTo(201);

            assertThat(context.findBean(Context.class)).isEmpty();
            assertThat(context.findBean(LambdaLogger.class)).isEmpty();
        }
    }
}
