package com.example.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check as bin/test runs it, on a copy of this directory (contracts + baseline) in which a fixture change is
 * made: a breaking change fails it, a compatible one passes once accepted, and accept refuses breaking ones.
 */
class ContractBaselineTest {

    @TempDir
    Path copy;

    @BeforeEach
    void copyContracts() throws IOException {
        Path from = ContractCompatibilityTest.CONTRACTS;
        for (String name : ContractBaseline.contractFiles(from)) {
            copyFile(from.resolve(name), copy.resolve(name));
        }
        Path baseline = from.resolve(ContractBaseline.BASELINE);
        for (String name : ContractBaseline.contractFiles(baseline)) {
            copyFile(baseline.resolve(name), copy.resolve(ContractBaseline.BASELINE).resolve(name));
        }
        assertThat(ContractBaseline.check(copy).clean()).isTrue();
    }

    static void copyFile(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    void edit(String name, String from, String to) throws IOException {
        Path file = copy.resolve(name);
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    @Test
    void removingARequiredFieldFailsTheCheckAndCannotBeAccepted() throws IOException {
        edit("order.created/v1.schema.json", "\"required\": [\"eventId\", \"orderId\", \"customerId\",",
                "\"required\": [\"eventId\", \"orderId\",");

        var findings = ContractBaseline.check(copy);
        assertThat(findings.clean()).isFalse();
        assertThat(findings.breaking()).singleElement().asString()
                .startsWith("order.created/v1.schema.json /: required property 'customerId' is no longer required");
        assertThatThrownBy(() -> ContractBaseline.accept(copy)).isInstanceOf(IllegalStateException.class);
        assertThat(ContractBaseline.check(copy).breaking()).as("accept changed nothing").hasSize(1);
    }

    @Test
    void changingATypeFailsTheCheck() throws IOException {
        edit("order.cancelled/v1.schema.json", "\"reason\": {\"type\": \"string\"}", "\"reason\": {\"type\": \"object\"}");
        assertThat(ContractBaseline.check(copy).breaking()).singleElement().asString()
                .contains("/properties/reason: type changed from [string] to [object]");
    }

    @Test
    void removingAVersionFailsTheCheck() throws IOException {
        Files.delete(copy.resolve("order.cancelled/v1.headers.schema.json"));
        assertThat(ContractBaseline.check(copy).breaking()).singleElement().asString()
                .startsWith("order.cancelled/v1.headers.schema.json: version removed");
    }

    @Test
    void aCompatibleChangeMustBeAcceptedAndThenPasses() throws IOException {
        edit("order.created/v1.schema.json", "\"customerId\": {\"type\": \"string\", \"format\": \"uuid\"},",
                "\"customerId\": {\"type\": \"string\", \"format\": \"uuid\"},\n    \"channel\": {\"type\": \"string\"},");
        var findings = ContractBaseline.check(copy);
        assertThat(findings.breaking()).isEmpty();
        assertThat(findings.unaccepted()).singleElement().asString().startsWith("order.created/v1.schema.json: changed compatibly");

        assertThat(ContractBaseline.accept(copy)).containsExactly("order.created/v1.schema.json");
        assertThat(ContractBaseline.check(copy).clean()).isTrue();

        // ...after which removing the accepted property again is caught.
        edit("order.created/v1.schema.json", "\n    \"channel\": {\"type\": \"string\"},", "");
        assertThat(ContractBaseline.check(copy).breaking()).singleElement().asString()
                .contains("/properties/channel: property removed");
    }

    @Test
    void aNewVersionNeedsItsOwnBaselineAndAMatchingId() throws IOException {
        String v1 = Files.readString(copy.resolve("order.cancelled/v1.schema.json"));
        Files.writeString(copy.resolve("order.cancelled/v2.schema.json"), v1);
        var findings = ContractBaseline.check(copy);
        assertThat(findings.malformed()).singleElement().asString()
                .isEqualTo("order.cancelled/v2.schema.json: $id must be " + EventContracts.BASE_URI + "order.cancelled/v2.schema.json");
        assertThat(findings.unaccepted()).singleElement().asString().startsWith("order.cancelled/v2.schema.json: new contract");

        Files.writeString(copy.resolve("order.cancelled/v2.schema.json"), v1.replace("/v1.schema.json", "/v2.schema.json"));
        assertThat(ContractBaseline.accept(copy)).containsExactly("order.cancelled/v2.schema.json");
        assertThat(ContractBaseline.check(copy).clean()).isTrue();
        try (Stream<Path> files = Files.list(copy.resolve("baseline/order.cancelled"))) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("v2.schema.json");
        }
    }
}
