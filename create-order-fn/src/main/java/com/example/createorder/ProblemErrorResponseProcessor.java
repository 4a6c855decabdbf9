package com.example.createorder;

import com.example.order.domain.Violation;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Errors raised by the framework itself (unreadable body, unknown route, wrong method, ...) also become
 * {@code application/problem+json}, so clients handle one error shape.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
class ProblemErrorResponseProcessor implements ErrorResponseProcessor<byte[]> {

    @Override
    public MutableHttpResponse<byte[]> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        HttpStatus status = base.getStatus();
        List<Violation> errors = context.getErrors().stream()
                .map(e -> new Violation(e.getPath().orElse("body"), e.getMessage()))
                .toList();
        String detail = errors.isEmpty() ? status.getReason() : errors.get(0).message();
        Problem problem = Problem.of(slug(status), status.getReason(), status, detail, errors);
        MutableHttpResponse<byte[]> response = base.contentType(Problem.MEDIA_TYPE).body(problem.json());
        return response;
    }

    private static String slug(HttpStatus status) {
        return status.getReason().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
