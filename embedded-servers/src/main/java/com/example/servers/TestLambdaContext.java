package com.example.servers;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * The Lambda {@link Context} the function modules' tests hand to a handler: plausible values, a fresh request id per
 * instance, and {@link #getRemainingTimeInMillis()} counting down from a real deadline (creation + timeout), as
 * Lambda's does. Tests only: infra/checks keeps {@code com/example/servers/} out of every deployable jar.
 */
public final class TestLambdaContext implements Context {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String functionName;
    private final String requestId = UUID.randomUUID().toString();
    private final long deadlineNanos;

    /** Function {@code test-fn}, 60 s to run. */
    public TestLambdaContext() {
        this("test-fn", DEFAULT_TIMEOUT);
    }

    /** Function {@code test-fn}; {@code timeout} from now until the remaining time reads 0. */
    public TestLambdaContext(Duration timeout) {
        this("test-fn", timeout);
    }

    public TestLambdaContext(String functionName, Duration timeout) {
        this.functionName = functionName;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "2026/11/23/[$LATEST]test";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "1";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:eu-west-1:123456789012:function:" + functionName + ":live";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
