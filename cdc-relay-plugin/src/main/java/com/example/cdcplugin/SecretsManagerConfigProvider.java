package com.example.cdcplugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Resolves {@code ${secretsmanager:<secret name>:<key>}} in a Kafka Connect connector configuration from a JSON secret
 * in AWS Secrets Manager, so the CDC relay's database password never appears in the configuration MSK Connect stores
 * (ADR 0081). Declared in the worker configuration:
 * <pre>
 * config.providers=secretsmanager
 * config.providers.secretsmanager.class=com.example.cdcplugin.SecretsManagerConfigProvider
 * config.providers.secretsmanager.param.region=eu-west-1
 * </pre>
 * Parameters: {@code region} (required; requests are signed for it), {@code endpoint} (optional override, e.g. an
 * interface endpoint without private DNS). Credentials come from the SDK's default chain: on MSK Connect, the
 * connector's service execution role, which needs {@code secretsmanager:GetSecretValue} on the secret.
 *
 * <p>Why our own class: Kafka ships no provider for Secrets Manager, and the open-source one AWS's MSK Connect tutorial
 * uses is not published on Maven Central (the only Java registry this project builds from). This is the whole of it:
 * one SDK call and one JSON parse. Use the secret's <em>name</em>: Kafka's {@code ${provider:path:key}} syntax splits
 * on colons, so an ARN cannot be the path.
 *
 * <p>Errors: a missing or non-JSON secret, or a requested key the secret lacks, is a {@link ConfigException} naming
 * the secret and the key (never the value), so the connector fails to start instead of running with a wrong value.
 */
public final class SecretsManagerConfigProvider implements ConfigProvider {

    public static final String REGION = "region";
    public static final String ENDPOINT = "endpoint";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretsManagerClient client;

    @Override
    public void configure(Map<String, ?> configs) {
        Object region = configs.get(REGION);
        if (region == null || region.toString().isBlank()) {
            throw new ConfigException("config provider " + getClass().getSimpleName() + " needs param." + REGION);
        }
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .region(Region.of(region.toString()))
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        Object endpoint = configs.get(ENDPOINT);
        if (endpoint != null && !endpoint.toString().isBlank()) {
            builder.endpointOverride(URI.create(endpoint.toString()));
        }
        client = builder.build();
    }

    /** Every key of the JSON secret {@code path}. */
    @Override
    public ConfigData get(String path) {
        return new ConfigData(read(path));
    }

    /** The given keys of the JSON secret {@code path}; each must exist. */
    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> all = read(path);
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String key : keys) {
            if (!all.containsKey(key)) {
                throw new ConfigException("secret " + path + " has no key " + key);
            }
            wanted.put(key, all.get(key));
        }
        return new ConfigData(wanted);
    }

    private Map<String, String> read(String path) {
        if (client == null) {
            throw new IllegalStateException("configure() was not called");
        }
        if (path == null || path.isBlank()) {
            throw new ConfigException("a secretsmanager reference needs a secret name: ${secretsmanager:<name>:<key>}");
        }
        String secret;
        try {
            secret = client.getSecretValue(r -> r.secretId(path)).secretString();
        } catch (RuntimeException e) {
            throw new ConfigException("cannot read secret " + path + ": " + e.getMessage());
        }
        JsonNode json;
        try {
            json = secret == null ? null : JSON.readTree(secret);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new ConfigException("secret " + path + " is not a JSON object of keys and values");
        }
        Map<String, String> values = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        return values;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
