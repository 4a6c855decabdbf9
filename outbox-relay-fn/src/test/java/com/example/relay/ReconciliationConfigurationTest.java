package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.relay.admin.OutboxAdminCommand;
import io.micronaut.configuration.picocli.MicronautFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The reconciliation job's window against the relay's retention age (ADR 0071): both are read from the one environment
 * the job shares with the relay, and the job refuses to start when the window reaches the retention age, since
 * published events older than that are gone from the published log and their orders would be reported as lost. The
 * values are given as the environment variables Terraform sets; the job is started as Lambda starts it (its
 * {@code ApplicationContext} constructor), so a refusal is an init failure before any run.
 */
class ReconciliationConfigurationTest {

    static ReconciliationFunction startJob(Map<String, Object> settings) {
        var properties = new HashMap<>(RelayConfigurationTest.database());
        properties.putAll(settings);
        var context = ApplicationContext.builder().properties(properties).start();
        try {
            return new ReconciliationFunction(context);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    @Test
    void deployedDefaultsStartAndAreWhatTheJobRunsWith() {
        try (var job = startJob(Map.of()); var context = job.getApplicationContext()) {
            var settings = context.getBean(ReconciliationSettings.class);
            assertThat(settings.checkableWindow()).isEqualTo(Duration.ofDays(6));
            assertThat(settings.pendingThreshold()).isEqualTo(Duration.ofMinutes(5));
            assertThat(context.getBean(RetentionConfiguration.class).retentionAge()).isEqualTo(Duration.ofDays(7));
        }
    }

    @Test
    void isoDurationsAsTerraformsVariablesWriteThemBind() {
        try (var job = startJob(Map.of("RECONCILIATION_CHECKABLE_WINDOW", "P29D", "RELAY_RETENTION_AGE", "30d",
                "RECONCILIATION_PENDING_THRESHOLD", "PT10M")); var context = job.getApplicationContext()) {
            var settings = context.getBean(ReconciliationSettings.class);
            assertThat(settings.checkableWindow()).isEqualTo(Duration.ofDays(29));
            assertThat(settings.pendingThreshold()).isEqualTo(Duration.ofMinutes(10));
        }
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("window longer than the retention age", Map.of("RECONCILIATION_CHECKABLE_WINDOW", "8d"),
                        "reconciliation.checkable-window (RECONCILIATION_CHECKABLE_WINDOW) = PT192H must be shorter than"
                                + " relay.retention-age (RELAY_RETENTION_AGE) = PT168H"),
                Arguments.of("window equal to the retention age", Map.of("RECONCILIATION_CHECKABLE_WINDOW", "P7D"),
                        "reconciliation.checkable-window (RECONCILIATION_CHECKABLE_WINDOW) = PT168H must be shorter than"
                                + " relay.retention-age (RELAY_RETENTION_AGE) = PT168H"),
                Arguments.of("retention age lowered below the default window", Map.of("RELAY_RETENTION_AGE", "5d"),
                        "reconciliation.checkable-window (RECONCILIATION_CHECKABLE_WINDOW) = PT144H must be shorter than"
                                + " relay.retention-age (RELAY_RETENTION_AGE) = PT120H"),
                Arguments.of("zero window", Map.of("RECONCILIATION_CHECKABLE_WINDOW", "0s"),
                        "reconciliation.checkable-window (RECONCILIATION_CHECKABLE_WINDOW) must be above zero"),
                Arguments.of("negative pending threshold", Map.of("RECONCILIATION_PENDING_THRESHOLD", "-5m"),
                        "reconciliation.pending-threshold (RECONCILIATION_PENDING_THRESHOLD) must be above zero"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void theJobRefusesToStartNamingBothSettings(String name, Map<String, Object> settings, String message) {
        assertThatThrownBy(() -> startJob(settings).close()).hasMessageContaining(message);
    }

    /** The relay itself never binds the job's settings: a bad window stops the job, never event delivery. */
    @Test
    void aBadWindowDoesNotStopTheRelaysContext() {
        try (var context = RelayConfigurationTest.start(Map.of("RECONCILIATION_CHECKABLE_WINDOW", "8d"))) {
            assertThat(context.getBean(RetentionConfiguration.class).retentionAge()).isEqualTo(Duration.ofDays(7));
        }
    }

    /** The reconcile command takes its defaults from the same settings and refuses a window past retention. */
    @Test
    void reconcileCommandRefusesAWindowPastRetention() {
        var pg = com.example.servers.SharedServers.postgres();
        var originalErr = System.err;
        var err = new ByteArrayOutputStream();
        try (var context = ApplicationContext.builder(Environment.CLI).properties(Map.of("DB_URL", pg.jdbcUrl(),
                "DB_USERNAME", pg.username(), "DB_PASSWORD", pg.password(), "RELAY_RETENTION_AGE", "3d")).start()) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cli = new CommandLine(OutboxAdminCommand.class, new MicronautFactory(context))
                    .setErr(new PrintWriter(new StringWriter()));
            assertThat(cli.execute("reconcile")).as("configured window 6d, retention 3d").isEqualTo(2);
            assertThat(new CommandLine(OutboxAdminCommand.class, new MicronautFactory(context))
                    .execute("reconcile", "PT5M", "P3D")).as("window given, equal to retention").isEqualTo(2);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("reconciliation.checkable-window (RECONCILIATION_CHECKABLE_WINDOW) = PT144H must be shorter"
                        + " than relay.retention-age (RELAY_RETENTION_AGE) = PT72H")
                .contains("CHECKABLE_WINDOW = PT72H must be shorter than relay.retention-age (RELAY_RETENTION_AGE) = PT72H");
    }
}
