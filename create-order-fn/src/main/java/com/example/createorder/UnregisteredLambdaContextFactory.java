package com.example.createorder;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

/**
 * Leaves each invocation's Lambda {@link Context} out of the application context. Micronaut's default registers the
 * Context and its LambdaLogger (plus ClientContext and CognitoIdentity when present) as singletons on every
 * invocation, so that beans could inject them; each registration walks the context's bean definitions. That was
 * about 0.5 ms of CPU per request, 40-45% of the warm handler's Java time (JFR, docs/benchmarks.md "Create path").
 * No bean of this function injects any of them: the controllers read what they need from the HTTP request.
 */
@Singleton
@Replaces(DefaultLambdaContextFactory.class)
final class UnregisteredLambdaContextFactory implements LambdaContextFactory {

    @Override
    public void registerSingletons(Context context) {
        // deliberately nothing: see the class comment
    }
}
