package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cancel consumer forgets an inbox entry only after its message can no longer be delivered again (ADR 0026):
 * with the values as deployed (Terraform's environment variables, else the consumer's application.yml defaults),
 * <ul>
 *   <li>{@code CANCEL_INBOX_DEDUPE_HORIZON} is at least every {@code retention.ms} the deployment gives
 *       {@code order.cancelled}: the kafka module's {@code topics} and {@code scripts/create-topics.sh};</li>
 *   <li>{@code CANCEL_INBOX_RETENTION_AGE} exceeds that horizon (the function also refuses to start otherwise).</li>
 * </ul>
 * A value that cannot be resolved, or finding no topic retention at all, is a finding: the check never passes by
 * not looking.
 */
public final class InboxRetentionCheck {

    static final String CONSUMER_HANDLER = "com.example.cancel.CancelConsumerFunction";
    static final String TOPIC = "order.cancelled";
    static final String KAFKA_MODULE = "modules/kafka";
    static final String CREATE_TOPICS = "scripts/create-topics.sh";

    private static final Pattern CREATE_LINE =
            Pattern.compile("(?m)^create\\s+" + Pattern.quote(TOPIC) + "\\s+\\d+\\s+(\\d+)\\s*$");

    private InboxRetentionCheck() {
    }

    public static List<String> findings(TerraformFiles terraform, Path repoRoot) throws IOException {
        List<String> findings = new ArrayList<>();
        Map<String, Duration> topicRetentions = topicRetentions(terraform, findings);
        List<TerraformFiles.Resource> consumers = terraform.resources("aws_lambda_function").stream()
                .filter(r -> CONSUMER_HANDLER.equals(r.body().path("handler").asText()))
                .toList();
        if (consumers.isEmpty()) {
            findings.add(terraform.dir() + ": no aws_lambda_function with handler " + CONSUMER_HANDLER + ", nothing to check");
        }
        for (TerraformFiles.Resource consumer : consumers) {
            String where = consumer.address() + ": ";
            List<String> problems = new ArrayList<>();
            var values = RelayTimeBudgetCheck.Values.of(terraform, consumer, repoRoot, problems);
            Optional<Duration> age = values.duration("CANCEL_INBOX_RETENTION_AGE");
            Optional<Duration> horizon = values.duration("CANCEL_INBOX_DEDUPE_HORIZON");
            problems.forEach(p -> findings.add(where + p));
            if (age.isEmpty() || horizon.isEmpty()) {
                continue;
            }
            topicRetentions.forEach((source, retention) -> {
                if (horizon.get().compareTo(retention) < 0) {
                    findings.add(where + "CANCEL_INBOX_DEDUPE_HORIZON (" + horizon.get().toMillis() + " ms) is shorter than "
                            + TOPIC + "'s retention.ms in " + source + " (" + retention.toMillis() + " ms): a message"
                            + " replayed from the topic could outlive its inbox entry");
                }
            });
            if (age.get().compareTo(horizon.get()) <= 0) {
                findings.add(where + "CANCEL_INBOX_RETENTION_AGE (" + age.get().toMillis() + " ms) must exceed"
                        + " CANCEL_INBOX_DEDUPE_HORIZON (" + horizon.get().toMillis() + " ms)");
            }
        }
        return findings;
    }

    /** {@code source -> retention} of {@value #TOPIC}: the kafka module's {@code topics}, and the topic script. */
    static Map<String, Duration> topicRetentions(TerraformFiles terraform, List<String> findings) throws IOException {
        Map<String, Duration> retentions = new LinkedHashMap<>();
        JsonNode topics = kafkaTopics(terraform);
        if (topics == null || topics.isMissingNode()) {
            findings.add(KAFKA_MODULE + ": variable \"topics\" has no default to read " + TOPIC + "'s retention from");
        } else {
            JsonNode retention = topics.path(TOPIC).path("retention_ms");
            if (retention.canConvertToLong()) {
                retentions.put(KAFKA_MODULE + " var.topics", Duration.ofMillis(retention.asLong()));
            } else {
                findings.add(KAFKA_MODULE + ": var.topics[\"" + TOPIC + "\"].retention_ms is not a number: " + retention);
            }
        }
        Path script = terraform.dir().resolve(CREATE_TOPICS);
        if (Files.isRegularFile(script)) {
            Matcher m = CREATE_LINE.matcher(Files.readString(script));
            if (m.find()) {
                retentions.put(CREATE_TOPICS, Duration.ofMillis(Long.parseLong(m.group(1))));
            } else {
                findings.add(CREATE_TOPICS + ": no line \"create " + TOPIC + " <partitions> <retention.ms>\"");
            }
        }
        return retentions;
    }

    /** The {@code topics} the root module passes to the kafka module, else the variable's default. */
    private static JsonNode kafkaTopics(TerraformFiles terraform) {
        for (Map.Entry<String, JsonNode> file : terraform.parsed().entrySet()) {
            if (file.getKey().contains("/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = file.getValue().path("module").fields(); it.hasNext(); ) {
                for (JsonNode call : it.next().getValue()) {
                    if (call.path("source").asText().replaceFirst("^\\./", "").equals(KAFKA_MODULE)
                            && call.has("topics")) {
                        return call.path("topics");
                    }
                }
            }
        }
        return RelayTimeBudgetCheck.variableDefault(terraform, KAFKA_MODULE, "topics");
    }
}
