package com.example.cdcplugin;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provider with the real AWS SDK client, against a local HTTP endpoint that answers Secrets Manager's
 * GetSecretValue (JSON 1.1 protocol) the way the service documents it, and through Kafka's own
 * {@link ConfigTransformer}, which is what resolves {@code ${secretsmanager:name:key}} in a worker.
 */
class SecretsManagerConfigProviderTest {

    static final String NAME = "orders-dev-cdc-replication-20261130";
    static final String SECRET = "{\"username\":\"outbox_cdc\",\"password\":\"s3cretAlnum42\",\"port\":5432}";

    HttpServer server;
    SecretsManagerConfigProvider provider;
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile String answer = SECRET;

    @BeforeAll
    static void credentials() {
        // The SDK's default chain reads these first; nothing here talks to AWS.
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + body + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            boolean known = body.contains("\"SecretId\":\"" + NAME + "\"");
            String response = known
                    ? "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + NAME + "-AbCdEf\",\"Name\":\"" + NAME
                      + "\",\"SecretString\":" + quote(answer) + ",\"VersionId\":\"v1\",\"VersionStages\":[\"AWSCURRENT\"]}"
                    : "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}";
            byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(known ? 200 : 400, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        provider = new SecretsManagerConfigProvider();
        provider.configure(Map.of("region", "eu-west-1", "endpoint", "http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        provider.close();
        server.stop(0);
    }

    @Test
    void resolvesAReferenceThroughKafkasConfigTransformer() {
        Map<String, String> config = Map.of(
                "database.password", "${secretsmanager:" + NAME + ":password}",
                "database.user", "${secretsmanager:" + NAME + ":username}",
                "slot.name", "order_outbox");
        Map<String, String> resolved = new ConfigTransformer(Map.of("secretsmanager", provider)).transform(config).data();
        assertEquals("s3cretAlnum42", resolved.get("database.password"));
        assertEquals("outbox_cdc", resolved.get("database.user"));
        assertEquals("order_outbox", resolved.get("slot.name"));
        assertFalse(requests.isEmpty());
        String request = requests.get(0);
        assertTrue(request.startsWith("secretsmanager.GetSecretValue {\"SecretId\":\"" + NAME + "\"}"), request);
        assertTrue(request.contains("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") && request.contains("/eu-west-1/secretsmanager/aws4_request"), request);
    }

    @Test
    void withoutKeysReturnsEveryKeyAsText() {
        assertEquals(Map.of("username", "outbox_cdc", "password", "s3cretAlnum42", "port", "5432"), provider.get(NAME).data());
    }

    @Test
    void aMissingKeyNamesTheKeyButNotTheValues() {
        ConfigException e = assertThrows(ConfigException.class, () -> provider.get(NAME, Set.of("pasword")));
        assertTrue(e.getMessage().contains("has no key pasword"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cretAlnum42"), e.getMessage());
    }

    @Test
    void aSecretThatIsNotAJsonObjectIsRefused() {
        answer = "just-a-password";
        ConfigException e = assertThrows(ConfigException.class, () -> provider.get(NAME, Set.of("password")));
        assertTrue(e.getMessage().contains("is not a JSON object"), e.getMessage());
        assertFalse(e.getMessage().contains("just-a-password"), e.getMessage());
    }

    @Test
    void anUnknownSecretIsAConfigurationError() {
        ConfigException e = assertThrows(ConfigException.class, () -> provider.get("no-such-secret", Set.of("password")));
        assertTrue(e.getMessage().contains("cannot read secret no-such-secret"), e.getMessage());
    }

    @Test
    void aRegionIsRequired() {
        SecretsManagerConfigProvider unconfigured = new SecretsManagerConfigProvider();
        ConfigException e = assertThrows(ConfigException.class, () -> unconfigured.configure(Map.of()));
        assertTrue(e.getMessage().contains("needs param.region"), e.getMessage());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
