package com.example.wakeup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real SDK client, pointed through the SDK's standard endpoint override ({@code aws.endpointUrlLambda}, the
 * system-property twin of {@code AWS_ENDPOINT_URL_LAMBDA}) at a local HTTP server or at a port nobody listens on.
 */
class LambdaRelayWakeUpTest {

    static HttpServer server;
    static final List<String> requests = new CopyOnWriteArrayList<>();
    /** Each invoke's Authorization header; each call to the container credentials endpoint's Authorization header. */
    static final List<String> signatures = new CopyOnWriteArrayList<>();
    static final List<String> credentialRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // What Lambda's container credentials endpoint answers (the SDK's ContainerCredentialsProvider format).
        server.createContext("/container-credentials", exchange -> {
            credentialRequests.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = ("{\"AccessKeyId\":\"ASIACONTAINER\",\"SecretAccessKey\":\"secret\",\"Token\":\"session\","
                    + "\"Expiration\":\"2099-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/", exchange -> {
            signatures.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " type="
                    + exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type") + " auth="
                    + (exchange.getRequestHeaders().getFirst("Authorization") != null) + " body="
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
        System.setProperty("aws.region", "eu-west-1");
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        System.clearProperty("aws.endpointUrlLambda");
    }

    @Test
    void sendsAnAsynchronousSignedInvokeOfTheAlias() throws Exception {
        requests.clear();
        System.setProperty("aws.endpointUrlLambda", "http://127.0.0.1:" + server.getAddress().getPort());
        try (var wakeUp = new LambdaRelayWakeUp("arn:aws:lambda:eu-west-1:123456789012:function:orders-outbox-relay:live",
                "create-order", Duration.ofSeconds(2))) {
            wakeUp.wakeUp();
        }
        assertThat(requests).singleElement().asString()
                .startsWith("POST /2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Aorders-outbox-relay%3Alive/invocations")
                .contains("type=Event", "auth=true", "body={\"source\":\"relay-wake-up\",\"sentBy\":\"create-order\"}");
    }

    /**
     * With SnapStart, Lambda's Java runtime gives the function no access-key variables but a container credentials
     * endpoint ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}; here their
     * system-property twins). The wake-up's explicit credentials chain must reach it and sign with what it returns.
     */
    @Test
    void withoutAccessKeysTheInvokeIsSignedWithContainerCredentials() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null,
                "AWS_ACCESS_KEY_ID is set in this environment; the environment provider would win");
        String key = System.clearProperty("aws.accessKeyId");
        String secret = System.clearProperty("aws.secretAccessKey");
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        System.setProperty("aws.containerCredentialsFullUri", base + "/container-credentials");
        System.setProperty("aws.containerAuthorizationToken", "snapstart-token");
        System.setProperty("aws.endpointUrlLambda", base);
        signatures.clear();
        requests.clear();
        try (var wakeUp = new LambdaRelayWakeUp("orders-outbox-relay:live", "create-order", Duration.ofSeconds(2))) {
            wakeUp.wakeUp();
        } finally {
            System.clearProperty("aws.containerCredentialsFullUri");
            System.clearProperty("aws.containerAuthorizationToken");
            System.setProperty("aws.accessKeyId", key);
            System.setProperty("aws.secretAccessKey", secret);
        }
        assertThat(credentialRequests).contains("snapstart-token");
        assertThat(signatures).singleElement().asString().contains("Credential=ASIACONTAINER/");
    }

    @Test
    void theRegionComesFromTheSettingAndTheChainTriesEnvironmentSystemPropertiesThenContainer() {
        assertThat(LambdaRelayWakeUp.buildClient(Duration.ofSeconds(1)).serviceClientConfiguration().region())
                .hasToString("eu-west-1");
        assertThat(LambdaRelayWakeUp.credentials().toString())
                .containsSubsequence("EnvironmentVariableCredentialsProvider", "SystemPropertyCredentialsProvider",
                        "ContainerCredentialsProvider");
    }

    @Test
    void thePayloadStaysOneJsonObjectWhateverTheSenderIsCalled() {
        assertThat(new String(LambdaRelayWakeUp.payload("cancel \"consumer\"\n{}"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"source\":\"relay-wake-up\",\"sentBy\":\"cancel__consumer____\"}");
    }

    @Test
    void aRefusedConnectionFailsFastWithoutRetrying() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        System.setProperty("aws.endpointUrlLambda", "http://127.0.0.1:" + closedPort);
        try (var wakeUp = new LambdaRelayWakeUp("orders-outbox-relay:live", "create-order", Duration.ofSeconds(2))) {
            wakeUp.wakeUp(); // not timed: the first call also waits for the client to be built
        } catch (Exception expected) {
            // refused, as below
        }
        try (var wakeUp = new LambdaRelayWakeUp("orders-outbox-relay:live", "create-order", Duration.ofSeconds(2))) {
            try {
                wakeUp.wakeUp();
            } catch (Exception warmingUp) {
                // first call: client built
            }
            long started = System.nanoTime();
            assertThatThrownBy(wakeUp::wakeUp).hasMessageContaining("Connection refused");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
        }
    }

    @Test
    void metricsAreOneEmfLinePerAttempt() {
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            var metrics = new WakeUpMetrics("OrderService/CreateOrder", "create-order");
            metrics.failed(new java.net.ConnectException("Connection refused"), Duration.ofMillis(3));
            metrics.sent(Duration.ofMillis(12));
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).contains("\"RelayWakeUpFailures\":1", "\"Namespace\":\"OrderService/CreateOrder\"",
                "\"Service\":\"create-order\"", "Connection refused");
        assertThat(lines[1]).contains("\"RelayWakeUpsSent\":1");
    }
}
