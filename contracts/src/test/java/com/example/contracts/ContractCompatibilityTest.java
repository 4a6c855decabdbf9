package com.example.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The compatibility check bin/test runs: every contract in this directory against its committed baseline.
 * With {@code -Dcontracts.accept=true} it first records new and compatibly changed contracts as the baseline
 * (never a breaking one).
 */
class ContractCompatibilityTest {

    static final Path CONTRACTS = Path.of(System.getProperty("basedir", "."));

    @Test
    void everyContractIsCompatibleWithItsCommittedBaseline() {
        if (Boolean.getBoolean("contracts.accept")) {
            System.out.println("Accepted as baseline: " + ContractBaseline.accept(CONTRACTS));
        }
        assertThat(ContractBaseline.contractFiles(CONTRACTS)).as("contracts found in %s", CONTRACTS.toAbsolutePath())
                .contains("order.created/v1.schema.json", "order.cancelled/v1.schema.json",
                        "order.cancelled.dlq/v1.schema.json");
        ContractBaseline.Findings findings = ContractBaseline.check(CONTRACTS);
        assertThat(findings.clean()).as("contract check:\n%s", findings).isTrue();
    }
}
