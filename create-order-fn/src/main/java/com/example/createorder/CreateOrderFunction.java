package com.example.createorder;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda handler behind the HTTP API (payload 2.0): Micronaut's {@link APIGatewayV2HTTPEventFunction}, with
 * {@link ApiGatewayEventCheck} in front. Micronaut parses the path into a URI while building its request, before
 * any filter, route or exception handler exists, so an unparsable path would throw out of the handler; the check
 * answers those events with a 400 problem itself (ADR 0007). Everything else is Micronaut's, unchanged.
 */
public class CreateOrderFunction extends APIGatewayV2HTTPEventFunction {

    private static final Logger LOG = LoggerFactory.getLogger(CreateOrderFunction.class);

    /** Used by the Lambda runtime: builds the application context during the init phase. */
    public CreateOrderFunction() {
    }

    /** For tests: runs on the given, already configured context. */
    public CreateOrderFunction(ApplicationContext applicationContext) {
        super(applicationContext);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Optional<Problem> refused = ApiGatewayEventCheck.check(event);
        if (refused.isPresent()) {
            Problem problem = refused.get();
            LOG.info("Refused before routing: {} {}", problem.title(), problem.errors());
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(problem.status().getCode())
                    .withHeaders(Map.of("Content-Type", Problem.MEDIA_TYPE))
                    .withBody(new String(problem.json(), StandardCharsets.UTF_8))
                    .withIsBase64Encoded(false)
                    .build();
        }
        return super.handleRequest(event, context);
    }
}
