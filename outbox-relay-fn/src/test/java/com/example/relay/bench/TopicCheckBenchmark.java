package com.example.relay.bench;

import com.example.outbox.OutboxMessage;
import com.example.outbox.PendingMessage;
import com.example.outbox.PublishResult;
import com.example.outbox.kafka.KafkaMessagePublisher;
import com.example.outbox.kafka.TopicRoutes;
import com.example.servers.SharedServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the relay's start-up topic check (ADR 0028) adds to a cold start (a program, not a test). Each sample is a new
 * JVM, so class loading counts as on a cold Lambda: from {@code main} to the first record acknowledged, with
 * <ul>
 *   <li>{@code none}: no check (the relay before the check);</li>
 *   <li>{@code producer}: {@link KafkaMessagePublisher#missingTopics} on the relay's own producer, kept (on-demand init);</li>
 *   <li>{@code producer-close}: the same, producer closed afterwards, the first send opens a new one (SnapStart init);</li>
 *   <li>{@code admin}: an Admin client's {@code describeTopics}, closed, then the first send.</li>
 * </ul>
 * Variants alternate within each round, so they share the machine's load. The broker is the embedded one (PLAINTEXT,
 * same host): MSK's TLS and IAM handshakes would add to every variant's connections, most to {@code admin}'s, which
 * opens the second connection.
 */
@Command(name = "TopicCheckBenchmark", mixinStandardHelpOptions = true,
        description = "Cold-start cost of the relay's start-up topic check: none, producer, producer-close, admin.")
public final class TopicCheckBenchmark implements Callable<Integer> {

    private static final List<String> VARIANTS = List.of("none", "producer", "producer-close", "admin");

    @Option(names = "--rounds", defaultValue = "7", description = "JVMs per variant (default: ${DEFAULT-VALUE}).")
    int rounds;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], args[2], args[3], args[4]);
            return;
        }
        System.exit(new CommandLine(new TopicCheckBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        var kafka = SharedServers.kafka();
        String created = "bench-check-created";
        String dlq = "bench-check-dlq";
        kafka.createTopics(1, created, dlq);
        var samples = new LinkedHashMap<String, List<Long>>();
        VARIANTS.forEach(v -> samples.put(v, new ArrayList<>()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < VARIANTS.size(); i++) {
                String variant = VARIANTS.get((round + i) % VARIANTS.size());
                var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
                        TopicCheckBenchmark.class.getName(), "--child", variant, kafka.bootstrapServers(), created, dlq)
                        .redirectErrorStream(true).start();
                String result = null;
                var output = new StringBuilder();
                try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        output.append(line).append('\n');
                        if (line.startsWith("RESULT ")) {
                            result = line.substring(7).trim();
                        }
                    }
                }
                if (!process.waitFor(60, TimeUnit.SECONDS) || result == null) {
                    throw new IllegalStateException(variant + " produced no result:\n" + output);
                }
                samples.get(variant).add(Long.parseLong(result));
            }
        }
        long baseline = median(samples.get("none"));
        System.out.printf("rounds=%d, main() to the first record acknowledged, median ms (samples):%n", rounds);
        samples.forEach((variant, ms) -> System.out.printf("  %-15s %5d ms  (+%d ms vs none)  %s%n", variant,
                median(ms), median(ms) - baseline, ms));
        return 0;
    }

    private static long median(List<Long> values) {
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void child(String variant, String bootstrap, String created, String dlq) throws Exception {
        long started = System.nanoTime();
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "linger.ms", 5, "max.block.ms", 30_000);
        try (var publisher = new KafkaMessagePublisher(config, TopicRoutes.eventTypeIsTopic())) {
            switch (variant) {
                case "none" -> { }
                case "producer", "producer-close" -> {
                    if (!publisher.missingTopics(List.of(created, dlq)).isEmpty()) {
                        throw new IllegalStateException("topics missing");
                    }
                    if (variant.equals("producer-close")) {
                        publisher.close();
                    }
                }
                case "admin" -> {
                    try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                        admin.describeTopics(List.of(created, dlq)).allTopicNames().get(30, TimeUnit.SECONDS);
                    }
                }
                default -> throw new IllegalArgumentException(variant);
            }
            var message = OutboxMessage.json(UUID.randomUUID(), "bench", "a-1", created, "/bench", Instant.now(),
                    "{}".getBytes(StandardCharsets.UTF_8));
            List<PublishResult> results = publisher.publish(List.of(new PendingMessage(1, message, 0)));
            if (!results.getFirst().acked()) {
                throw new IllegalStateException(results.getFirst().error());
            }
        }
        System.out.println("RESULT " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
}
