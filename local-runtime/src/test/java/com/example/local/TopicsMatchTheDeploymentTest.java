package com.example.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No broker here, on MSK or in the localstack compose file creates a topic on first use, so every place that creates
 * the topics must create the same ones: Terraform (aws_msk_topic on provisioned clusters, from the kafka module's
 * {@code topics}), the MSK Serverless script, localstack's up.sh, and the local runtime ({@link LocalRuntime#TOPICS},
 * created before any function starts). One list, {@link LocalRuntime#TOPICS}, held equal to the others here.
 */
class TopicsMatchTheDeploymentTest {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @Test
    void terraformTheScriptLocalstackAndTheLocalRuntimeCreateTheSameTopics() throws IOException {
        var expected = LocalRuntime.TOPICS.stream().sorted().toList();
        assertThat(matches("infra/terraform/modules/kafka/variables.tf", "^\\s*\"([^\"]+)\"\\s*=\\s*\\{\\s*partitions"))
                .as("kafka module's topics").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(matches("infra/terraform/main.tf", "^\\s*order_[a-z_]+\\s*=\\s*\"([^\"]+)\""))
                .as("main.tf's local.topics").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(matches("infra/terraform/scripts/create-topics.sh", "^create (\\S+) "))
                .as("create-topics.sh").containsExactlyInAnyOrderElementsOf(expected);
        var upSh = matches("localstack/up.sh", "^for topic in (.+); do");
        assertThat(upSh).hasSize(1);
        assertThat(List.of(upSh.getFirst().split("\\s+"))).as("localstack/up.sh")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<String> matches(String file, String regex) throws IOException {
        var pattern = Pattern.compile(regex);
        var found = new ArrayList<String>();
        for (String line : Files.readAllLines(REPO.resolve(file))) {
            var m = pattern.matcher(line);
            if (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }
}
