package com.example.relay;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import java.util.Map;
import java.util.Set;

/**
 * How the relay's producer reaches the brokers, {@code kafka.*} in application.yml (Kafka's client configs of the
 * same names). For MSK with IAM: {@code SASL_SSL}, {@code AWS_MSK_IAM} and the aws-msk-iam-auth login module and
 * callback handler.
 *
 * @param bootstrapServers         {@code bootstrap.servers} ({@code KAFKA_BOOTSTRAP_SERVERS}), not empty
 * @param securityProtocol         {@code security.protocol} ({@code KAFKA_SECURITY_PROTOCOL}): PLAINTEXT, SSL,
 *                                 SASL_PLAINTEXT or SASL_SSL
 * @param saslMechanism            {@code sasl.mechanism} ({@code KAFKA_SASL_MECHANISM}); required with a SASL protocol
 * @param saslJaasConfig           {@code sasl.jaas.config} ({@code KAFKA_SASL_JAAS_CONFIG}); empty: not set
 * @param saslCallbackHandlerClass {@code sasl.client.callback.handler.class} ({@code KAFKA_SASL_CALLBACK_HANDLER_CLASS});
 *                                 empty: not set
 * @throws io.micronaut.context.exceptions.ConfigurationException at start-up, naming every broken rule
 */
@Context
@Requires(property = "kafka.bootstrap-servers") // only in this function's context, not in another's sharing a test class path
@ConfigurationProperties("kafka")
record KafkaConnectionConfiguration(String bootstrapServers, String securityProtocol, @Nullable String saslMechanism,
        @Nullable String saslJaasConfig, @Nullable String saslCallbackHandlerClass) {

    /** Kafka's {@code security.protocol} values. */
    static final Set<String> SECURITY_PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    KafkaConnectionConfiguration {
        boolean sasl = securityProtocol != null && securityProtocol.startsWith("SASL_");
        new ConfigurationRules()
                .notBlank(bootstrapServers, "kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS)")
                .require(securityProtocol != null && SECURITY_PROTOCOLS.contains(securityProtocol),
                        "kafka.security-protocol (KAFKA_SECURITY_PROTOCOL) must be one of PLAINTEXT, SSL, SASL_PLAINTEXT,"
                                + " SASL_SSL, was " + securityProtocol)
                // Kafka would fall back to GSSAPI (Kerberos), which nothing here configures.
                .require(!sasl || isSet(saslMechanism), "kafka.sasl-mechanism (KAFKA_SASL_MECHANISM) must be set with"
                        + " security protocol " + securityProtocol + " (MSK IAM: AWS_MSK_IAM)")
                .check("kafka");
    }

    /** These settings as Kafka client configs; unset SASL settings are left out. */
    void putInto(Map<String, Object> config) {
        config.put("bootstrap.servers", bootstrapServers);
        config.put("security.protocol", securityProtocol);
        putIfSet(config, "sasl.mechanism", saslMechanism);
        putIfSet(config, "sasl.jaas.config", saslJaasConfig);
        putIfSet(config, "sasl.client.callback.handler.class", saslCallbackHandlerClass);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static void putIfSet(Map<String, Object> config, String key, String value) {
        if (isSet(value)) {
            config.put(key, value);
        }
    }
}
