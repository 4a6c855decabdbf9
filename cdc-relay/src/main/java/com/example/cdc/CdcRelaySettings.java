package com.example.cdc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where one embedded CDC relay reads and writes: the environment-specific half of the connector configuration (the
 * other half is {@link OutboxConnectorConfig#shared()}).
 *
 * @param databaseHost        PostgreSQL host (the cluster endpoint: a replication connection, ADR 0080)
 * @param databasePort        its port
 * @param databaseName        database holding {@code outbox_message}
 * @param databaseUser        a user with the REPLICATION attribute (or superuser locally)
 * @param databasePassword    its password
 * @param bootstrapServers    Kafka bootstrap servers
 * @param offsetFile          where the engine stores its source offsets (Kafka Connect's
 *                            {@code FileOffsetBackingStore}); the replication slot keeps the WAL from there on
 * @param offsetFlushInterval how often acknowledged positions are committed (offsets file and the slot's
 *                            confirmed LSN); what a crash re-sends is at most this much
 * @param connectorOverrides  settings replacing or adding to the shared ones (tests: their own slot and publication)
 * @param producerOverrides   Kafka producer settings (security, linger, batching); acks, idempotence, requests in
 *                            flight and the delivery timeout are not overridable (CdcRelay#producerConfig)
 */
public record CdcRelaySettings(
        String databaseHost,
        int databasePort,
        String databaseName,
        String databaseUser,
        String databasePassword,
        String bootstrapServers,
        Path offsetFile,
        Duration offsetFlushInterval,
        Map<String, String> connectorOverrides,
        Map<String, Object> producerOverrides) {

    public CdcRelaySettings {
        Objects.requireNonNull(databaseHost, "databaseHost");
        Objects.requireNonNull(databaseName, "databaseName");
        Objects.requireNonNull(databaseUser, "databaseUser");
        Objects.requireNonNull(databasePassword, "databasePassword");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(offsetFile, "offsetFile");
        Objects.requireNonNull(offsetFlushInterval, "offsetFlushInterval");
        connectorOverrides = connectorOverrides == null ? Map.of() : Map.copyOf(connectorOverrides);
        producerOverrides = producerOverrides == null ? Map.of() : Map.copyOf(producerOverrides);
        if (databasePort <= 0 || databasePort > 65535) {
            throw new IllegalArgumentException("databasePort must be 1-65535: " + databasePort);
        }
    }

    /**
     * Settings from a JDBC URL of the form {@code jdbc:postgresql://host:port/database}, with the shared connector
     * configuration and the shared worker file's offset commit interval ({@code offset.flush.interval.ms}, as MSK
     * Connect runs it).
     */
    public static CdcRelaySettings of(String jdbcUrl, String user, String password, String bootstrapServers,
            Path offsetFile) {
        var m = java.util.regex.Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+).*").matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/database URL: " + jdbcUrl);
        }
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        return new CdcRelaySettings(m.group(1), port, m.group(3), user, password, bootstrapServers, offsetFile,
                OutboxConnectorConfig.offsetFlushInterval(), Map.of(), Map.of());
    }

    public CdcRelaySettings withConnectorOverrides(Map<String, String> overrides) {
        return new CdcRelaySettings(databaseHost, databasePort, databaseName, databaseUser, databasePassword,
                bootstrapServers, offsetFile, offsetFlushInterval, overrides, producerOverrides);
    }

    public CdcRelaySettings withProducerOverrides(Map<String, Object> overrides) {
        return new CdcRelaySettings(databaseHost, databasePort, databaseName, databaseUser, databasePassword,
                bootstrapServers, offsetFile, offsetFlushInterval, connectorOverrides, overrides);
    }

    public CdcRelaySettings withOffsetFlushInterval(Duration interval) {
        return new CdcRelaySettings(databaseHost, databasePort, databaseName, databaseUser, databasePassword,
                bootstrapServers, offsetFile, interval, connectorOverrides, producerOverrides);
    }
}
