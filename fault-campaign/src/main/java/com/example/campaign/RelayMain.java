package com.example.campaign;

import com.example.local.DeployedFunction;
import com.example.local.LambdaFunction;
import com.example.local.LocalRuntime;
import com.example.local.ScheduledInvocations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The main class of one relay process of the campaign: the deployable relay jar in its own class loader (as the
 * Lambda Java runtime runs it, through {@link DeployedFunction}), invoked again and again with EventBridge
 * Scheduler's input JSON, as overlapping scheduled and woken invocations would run it. A process of its own so the
 * campaign can SIGKILL it and freeze it with SIGSTOP; its settings (database, broker, {@code RELAY_*}) come from
 * the environment, as in Lambda.
 *
 * <p>Usage: {@code java -cp <campaign class path> com.example.campaign.RelayMain <outbox-relay-fn.jar> <timeout-seconds>}.
 * Prints {@code READY} once its execution environment has started, then waits for a line {@code GO} on standard
 * input before its first invocation (so the campaign keeps started spares). It exits when standard input ends: the
 * campaign is gone, and no relay may outlive it.
 */
@Command(name = "RelayMain", mixinStandardHelpOptions = true,
        description = "One relay process of the fault campaign (started by the campaign, not by hand).")
public final class RelayMain implements Callable<Integer> {

    @Parameters(index = "0", description = "the deployable outbox-relay-fn.jar")
    Path jar;

    @Parameters(index = "1", description = "the invocation timeout, in seconds")
    long timeoutSeconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RelayMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        var relay = new DeployedFunction(LocalRuntime.RELAY_FUNCTION, jar, LocalRuntime.RELAY_HANDLER, timeout, 1).warmUp();
        System.out.println("READY");
        System.out.flush();
        var commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"GO".equals(commands.readLine())) {
            return 0;
        }
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try {
                while (commands.readLine() != null) {
                    // nothing else is sent
                }
            } catch (java.io.IOException e) {
                // the pipe broke: same as its end
            }
            Runtime.getRuntime().halt(0);
        });
        while (true) {
            String input = ScheduledInvocations.schedulerInput(Instant.now(), UUID.randomUUID().toString()).toString();
            try {
                byte[] summary = relay.invoke(input.getBytes(StandardCharsets.UTF_8));
                System.out.println("summary " + new String(summary, StandardCharsets.UTF_8));
            } catch (LambdaFunction.FunctionError e) {
                // As the schedule would: the next invocation does the same work.
                System.out.println("function error " + e.errorJson());
                Thread.sleep(200);
            }
            Thread.sleep(20);
        }
    }
}
