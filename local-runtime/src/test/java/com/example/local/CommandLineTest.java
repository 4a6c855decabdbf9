package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import picocli.CommandLine;

/** The local runtime's commands: every one answers --help, rejects unknown options, and parses what the docs print. */
class CommandLineTest {

    private static final String[][] HELP = {
        {"--help"}, {"run", "--help"}, {"chaos", "--help"}, {"load-check", "--help"}, {"cancel", "--help"}};

    @Example
    void everyCommandAnswersHelpWithItsOptions() {
        for (String[] args : HELP) {
            var out = new StringWriter();
            int status = new CommandLine(new LocalRuntimeMain()).setOut(new PrintWriter(out)).execute(args);
            assertThat(status).as(String.join(" ", args)).isZero();
            assertThat(out.toString()).as(String.join(" ", args)).contains("Usage:").contains("--help");
        }
        var out = new StringWriter();
        assertThat(new CommandLine(new EsmPollerMain()).setOut(new PrintWriter(out)).execute("--help")).isZero();
        assertThat(out.toString()).contains("--function-name").contains("--bootstrap-servers");
    }

    @Example
    void unknownOptionsAndBadValuesAreUsageErrors() {
        var err = new StringWriter();
        assertThat(new CommandLine(new LocalRuntimeMain()).setErr(new PrintWriter(err)).execute("--nope")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--nope'");
        assertThat(new CommandLine(new LocalRuntimeMain()).setErr(new PrintWriter(new StringWriter()))
                .execute("cancel", "not-a-uuid")).isEqualTo(2);
        assertThat(new CommandLine(new LocalRuntimeMain()).setErr(new PrintWriter(new StringWriter()))
                .execute("load-check", "--orders=many")).isEqualTo(2);
    }

    @Example
    void runOptionsOverrideOnlyWhatIsGiven() {
        var run = new LocalRuntimeMain.Run();
        new CommandLine(run).parseArgs("--fresh", "--port=9090", "--data-dir", "elsewhere");
        var options = run.options.resolve(Map.of("PORT", "7000", "LOCAL_DATA_DIR", "env-dir"));
        assertThat(options.fresh()).isTrue();
        assertThat(options.httpPort()).isEqualTo(9090);
        assertThat(options.dataDir()).isEqualTo(Path.of("elsewhere"));

        var bare = new LocalRuntimeMain.Run();
        new CommandLine(bare).parseArgs();
        var fromEnv = bare.options.resolve(Map.of("PORT", "7000", "LOCAL_DATA_DIR", "env-dir"));
        assertThat(fromEnv.fresh()).isFalse();
        assertThat(fromEnv.httpPort()).isEqualTo(7000);
        assertThat(fromEnv.dataDir()).isEqualTo(Path.of("env-dir"));
    }

    @Example
    void esmPollerTakesTheOptionsTheLocalStackComposeFilePasses() {
        var poller = new EsmPollerMain();
        new CommandLine(poller).parseArgs("--bootstrap-servers=kafka:9092", "--topic=order.cancelled",
                "--group-id=cancel-consumer", "--function-name=orders-local-cancel-consumer:live",
                "--lambda-endpoint=http://localstack:4566", "--batch-size=10", "--batching-window-ms=250");
        var settings = poller.settings();
        assertThat(settings.topic()).isEqualTo("order.cancelled");
        assertThat(settings.groupId()).isEqualTo("cancel-consumer");
        assertThat(settings.batchSize()).isEqualTo(10);
        assertThat(settings.batchingWindow()).isEqualTo(Duration.ofMillis(250));
        assertThat(poller.functionName).isEqualTo("orders-local-cancel-consumer:live");
        assertThat(poller.lambdaEndpoint).isEqualTo("http://localstack:4566");
    }

    /** Any reason text, newlines, quotes and control characters included, gives JSON that reads back the same. */
    @Property(tries = 200, seed = "20261130")
    void cancelValueIsValidJsonForAnyReason(@ForAll String reason) throws Exception {
        UUID orderId = UUID.randomUUID();
        var json = new ObjectMapper().readTree(CancelCommand.record(orderId.toString(), reason).value());
        assertThat(json.get("orderId").asText()).isEqualTo(orderId.toString());
        assertThat(json.get("reason").asText()).isEqualTo(reason);
    }
}
