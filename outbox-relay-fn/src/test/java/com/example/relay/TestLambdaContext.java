package com.example.relay;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Duration;

/** A Lambda context whose remaining time counts down from a real deadline, like Lambda's. */
final class TestLambdaContext implements Context {

    private final long deadline;

    TestLambdaContext(Duration timeout) {
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    @Override public String getAwsRequestId() { return "test-request"; }
    @Override public String getLogGroupName() { return "/aws/lambda/outbox-relay"; }
    @Override public String getLogStreamName() { return "test"; }
    @Override public String getFunctionName() { return "outbox-relay"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:123456789012:function:outbox-relay"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000); }
    @Override public int getMemoryLimitInMB() { return 512; }
    @Override public LambdaLogger getLogger() { return null; }
}
