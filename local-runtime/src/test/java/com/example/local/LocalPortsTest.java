package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run}'s ports: defaults as documented, chosen by option or environment, and a port that is taken fails before
 * anything starts (or {@code --fresh} deletes anything), naming the port, what wanted it and the option that moves it.
 * "Taken" is real: a listening socket of this test, on all interfaces or on localhost only (as PostgreSQL listens).
 */
class LocalPortsTest {

    @TempDir
    Path dataDir;

    @Test
    void defaultsAreTheDocumentedPortsAndTheEnvironmentOrOptionsMoveThem() {
        var defaults = LocalRuntime.Options.defaults(Map.of());
        assertThat(defaults.httpPort()).isEqualTo(8080);
        assertThat(defaults.postgresPort()).isEqualTo(15432);
        assertThat(defaults.kafkaPort()).isEqualTo(19092);

        var bare = new LocalRuntimeMain.Run();
        new CommandLine(bare).parseArgs();
        var fromEnv = bare.options.resolve(Map.of("LOCAL_POSTGRES_PORT", "25432", "LOCAL_KAFKA_PORT", "0"));
        assertThat(fromEnv.postgresPort()).isEqualTo(25432);
        assertThat(fromEnv.kafkaPort()).isZero();
        assertThat(fromEnv.httpPort()).isEqualTo(8080);

        var run = new LocalRuntimeMain.Run();
        new CommandLine(run).parseArgs("--postgres-port=35432", "--kafka-port", "39092", "--port=0");
        var fromOptions = run.options.resolve(Map.of("LOCAL_POSTGRES_PORT", "25432", "LOCAL_KAFKA_PORT", "29092"));
        assertThat(fromOptions.postgresPort()).as("the option wins over the environment").isEqualTo(35432);
        assertThat(fromOptions.kafkaPort()).isEqualTo(39092);
        assertThat(fromOptions.httpPort()).isZero();

        assertThatThrownBy(() -> LocalRuntime.Options.defaults(Map.of("LOCAL_KAFKA_PORT", "kafka")))
                .hasMessage("LOCAL_KAFKA_PORT must be a port number from 0 (any free port) to 65535, was \"kafka\"");
        assertThatThrownBy(() -> LocalRuntime.Options.defaults(Map.of("LOCAL_POSTGRES_PORT", "70000")))
                .hasMessageContaining("LOCAL_POSTGRES_PORT must be a port number");
    }

    @Test
    void aTakenPortFailsBeforeAnythingStartsNamingThePortAndItsOption() throws Exception {
        Files.writeString(dataDir.resolve("keep"), "data of a running instance");
        try (var allInterfaces = new ServerSocket(); var localhostOnly = new ServerSocket()) {
            allInterfaces.bind(new InetSocketAddress(0));
            localhostOnly.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int postgres = localhostOnly.getLocalPort();
            int kafka = allInterfaces.getLocalPort();
            var options = LocalRuntime.Options.defaults(Map.of()).withDataDir(dataDir).withFresh(true)
                    .withPorts(0, postgres, kafka);
            assertThatThrownBy(() -> LocalRuntime.start(options, new PrintStream(PrintStream.nullOutputStream())))
                    .isInstanceOf(LocalPorts.PortsInUseException.class)
                    .hasMessageContaining("port " + postgres + " (embedded PostgreSQL) is already in use: choose another"
                            + " with --postgres-port=N (or LOCAL_POSTGRES_PORT)")
                    .hasMessageContaining("port " + kafka + " (embedded Kafka broker) is already in use: choose another"
                            + " with --kafka-port=N (or LOCAL_KAFKA_PORT)")
                    .hasMessageNotContaining("HTTP API");
        }
        assertThat(dataDir.resolve("keep")).as("--fresh deleted nothing").exists();
    }

    @Test
    void runPrintsTheErrorAndExitsWithStatus1() throws Exception {
        // run reads the process environment: with an existing database or broker configured it would not check these.
        assumeTrue(System.getenv("DATABASE_URL") == null && System.getenv("DB_URL") == null
                && System.getenv("KAFKA_BOOTSTRAP_SERVERS") == null && System.getenv("LOCAL_KAFKA_PORT") == null);
        try (var taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            var err = new StringWriter();
            int status = new CommandLine(new LocalRuntimeMain()).setErr(new PrintWriter(err, true))
                    .execute("run", "--port=" + port, "--postgres-port=" + port, "--kafka-port=0",
                            "--data-dir=" + dataDir);
            assertThat(status).isEqualTo(1);
            assertThat(err.toString()).startsWith("error: port " + port + " (HTTP API) is already in use: choose"
                    + " another with --port=N (or PORT)").contains("port " + port + " (embedded PostgreSQL)");
        }
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        var err = new StringWriter();
        assertThat(new CommandLine(new LocalRuntimeMain()).setErr(new PrintWriter(err, true))
                .execute("--kafka-port=65536")).isEqualTo(2);
        assertThat(err.toString()).contains("--kafka-port must be a port number from 0 (any free port) to 65535, was 65536");
    }

    @Test
    void aFreePortIsFreeAndATakenOneIsNot() throws Exception {
        int port;
        try (var socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(0));
            port = socket.getLocalPort();
            assertThat(LocalPorts.free(port)).isFalse();
        }
        assertThat(LocalPorts.free(port)).isTrue();
    }
}
