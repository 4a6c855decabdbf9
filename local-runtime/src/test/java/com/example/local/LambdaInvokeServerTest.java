package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** The local Lambda Invoke API, called with the real AWS SDK client (the same one the functions and EsmPollerMain use). */
class LambdaInvokeServerTest {

    static final CopyOnWriteArrayList<String> received = new CopyOnWriteArrayList<>();
    static final CountDownLatch asyncRan = new CountDownLatch(1);
    static LambdaInvokeServer server;

    @BeforeAll
    static void start() throws Exception {
        LambdaFunction echo = new LambdaFunction() {
            @Override
            public String name() {
                return "echo";
            }

            @Override
            public byte[] invoke(byte[] eventJson) throws FunctionError {
                String event = new String(eventJson, StandardCharsets.UTF_8);
                received.add(event);
                if (event.contains("fail")) {
                    throw new FunctionError("echo failed", "{\"errorMessage\":\"asked to fail\"}", null);
                }
                if (event.contains("async")) {
                    asyncRan.countDown();
                }
                return ("{\"echo\":" + event + "}").getBytes(StandardCharsets.UTF_8);
            }
        };
        server = LambdaInvokeServer.start(Map.of("echo", echo), 0);
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void requestResponseByNameAliasAndArn() throws Exception {
        for (String name : new String[] {"echo", "echo:live", LambdaInvokeServer.aliasArn("us-east-1", "echo")}) {
            try (var api = LambdaInvokeApi.create(server.endpoint(), name)) {
                assertThat(new String(api.invoke("{\"n\":1}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                        .isEqualTo("{\"echo\":{\"n\":1}}");
            }
        }
    }

    @Test
    void aHandlerErrorIsAFunctionError() {
        try (var api = LambdaInvokeApi.create(server.endpoint(), "echo:live")) {
            assertThatThrownBy(() -> api.invoke("\"fail\"".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(LambdaFunction.FunctionError.class)
                    .satisfies(e -> assertThat(((LambdaFunction.FunctionError) e).errorJson()).contains("asked to fail"));
        }
    }

    @Test
    void unknownFunctionOrQualifierIsResourceNotFound() {
        try (var api = LambdaInvokeApi.create(server.endpoint(), "nope")) {
            assertThatThrownBy(() -> api.invoke(new byte[0])).isInstanceOf(ResourceNotFoundException.class);
        }
        try (var api = LambdaInvokeApi.create(server.endpoint(), "echo:blue")) {
            assertThatThrownBy(() -> api.invoke(new byte[0])).isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void eventInvocationAnswers202AndRunsTheFunctionInTheBackground() throws Exception {
        try (var client = software.amazon.awssdk.services.lambda.LambdaClient.builder()
                .endpointOverride(java.net.URI.create(server.endpoint()))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .build()) {
            var response = client.invoke(InvokeRequest.builder().functionName("echo:live")
                    .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("\"async\"")).build());
            assertThat(response.statusCode()).isEqualTo(202);
            var dryRun = client.invoke(InvokeRequest.builder().functionName("echo")
                    .invocationType(InvocationType.DRY_RUN).payload(SdkBytes.fromUtf8String("\"dry\"")).build());
            assertThat(dryRun.statusCode()).isEqualTo(204);
        }
        assertThat(asyncRan.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(received).doesNotContain("\"dry\"");
    }
}
