package com.example.infrachecks;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * relay_mode selects one relay (ADR 0081, 0082). With "lambda" the schedule, the writers' wake-up and the RelayLag
 * alarm exist and the CDC module, the CDC retention job and CDC_SLOT do not; with "msk_connect" it is the other way
 * round: Aurora gets logical replication, the functions get the connector's slot as CDC_SLOT (the relay function then
 * refuses to drain and the reconciliation job checks the slot), and the CDC retention job is deployed and scheduled. Each of those switches is an expression in Terraform; this check fails when one of them no longer
 * depends on the mode (a copied resource, a refactoring that drops a count), which would deploy both relays, none, or
 * an alarm that can only ever fire.
 *
 * <p>It checks that the gate is there, not what it evaluates to: Terraform's expression language is not evaluated here.
 */
public final class RelayModeGatingCheck {

    /**
     * One switch: in module directory {@code dir}, the {@code attribute} of a block must mention {@code mention}.
     * {@code kind} is "module", "locals" or a resource type.
     */
    record Gate(String dir, String kind, String name, String attribute, String mention, String why) {
    }

    static final List<Gate> GATES = List.of(
            new Gate("", "locals", "lambda_relay", null, "var.relay_mode", "the Lambda relay is the relay"),
            new Gate("", "locals", "cdc_relay", null, "var.relay_mode", "the CDC relay is the relay"),
            new Gate("", "module", "cdc", "count", "local.cdc_relay", "the connector exists only in msk_connect mode"),
            new Gate("", "module", "schedule", "count", "local.lambda_relay", "the schedule only drives the Lambda relay"),
            new Gate("", "module", "functions", "relay_wake_up", "local.lambda_relay", "writers wake only the Lambda relay"),
            new Gate("", "module", "monitoring", "lambda_relay", "local.lambda_relay", "RelayLag is emitted only by the Lambda relay"),
            new Gate("", "module", "database", "logical_replication", "var.relay_mode", "logical replication only for the CDC relay"),
            new Gate("", "locals", "cdc_slot", null, "local.cdc_relay", "CDC_SLOT is set only with the CDC relay"),
            new Gate("", "module", "functions", "cdc_slot", "local.cdc_slot", "the functions learn the relay from the slot"),
            new Gate("", "aws_cloudwatch_event_rule", "relay", "count", "local.lambda_relay", "LocalStack's stand-in schedule"),
            new Gate("", "aws_cloudwatch_event_target", "relay", "count", "local.lambda_relay", "LocalStack's stand-in schedule"),
            new Gate("", "aws_lambda_permission", "relay_rule", "count", "local.lambda_relay", "LocalStack's stand-in schedule"),
            new Gate("modules/functions", "locals", "relay_wake_up_target", null, "var.relay_wake_up", "the wake-up target is empty without the Lambda relay"),
            new Gate("modules/functions", "aws_iam_role_policy", "wake_relay", "for_each", "var.relay_wake_up", "no invoke permission without a wake-up"),
            new Gate("modules/functions", "aws_lambda_function_event_invoke_config", "outbox_relay", "count", "var.relay_wake_up", "async-invoke settings only for wake-ups"),
            new Gate("modules/monitoring", "aws_cloudwatch_metric_alarm", "relay_lag", "count", "var.lambda_relay", "silence breaches this alarm"),
            new Gate("modules/functions", "locals", "cdc_retention", null, "var.cdc_slot", "CDC retention only with the CDC relay"),
            new Gate("modules/functions", "locals", "roles", null, "local.cdc_retention", "the CDC retention job's role and log group only with the CDC relay"),
            new Gate("modules/functions", "aws_lambda_function", "outbox_cdc_retention", "count", "local.cdc_retention", "CDC retention only with the CDC relay (with the Lambda relay the relay trims its own log)"),
            new Gate("modules/functions", "aws_lambda_alias", "outbox_cdc_retention", "count", "local.cdc_retention", "CDC retention only with the CDC relay"),
            new Gate("modules/functions", "aws_scheduler_schedule", "outbox_cdc_retention", "count", "local.cdc_retention", "CDC retention runs on its schedule only with the CDC relay"));

    /** The handlers that must read CDC_SLOT: they get it through the relay function's environment (same jar). */
    static final List<String> SLOT_READERS = List.of("com.example.relay.OutboxRelayFunction",
            "com.example.relay.ReconciliationFunction", "com.example.relay.CdcRetentionFunction");
    static final String SLOT_VARIABLE = "CDC_SLOT";
    static final String SLOT_VALUE = "${var.cdc_slot}";
    static final String RELAY_ENVIRONMENT = "${aws_lambda_function.outbox_relay.environment[0].variables}";

    /** The environment variable through which a writer wakes the relay, and the only values it may have. */
    static final String WAKE_UP_VARIABLE = "RELAY_WAKE_UP_FUNCTION";
    static final List<String> WAKE_UP_VALUES = List.of("", "${local.relay_wake_up_target}");

    private RelayModeGatingCheck() {
    }

    public static List<String> findings(TerraformFiles terraform) {
        List<String> findings = new ArrayList<>();
        JsonNode relayMode = block(terraform, "", "variable", "relay_mode");
        if (relayMode == null) {
            findings.add("the root module declares no variable \"relay_mode\"");
        } else {
            if (!"lambda".equals(relayMode.path("default").asText(null))) {
                findings.add("variable relay_mode must default to \"lambda\" (the Lambda relay stays the default), found " + relayMode.path("default"));
            }
            String validation = relayMode.path("validation").toString();
            if (!validation.contains("lambda") || !validation.contains("msk_connect")) {
                findings.add("variable relay_mode must validate its value against lambda and msk_connect");
            }
        }
        for (Gate gate : GATES) {
            JsonNode body = block(terraform, gate.dir(), gate.kind(), gate.name());
            String where = (gate.dir().isEmpty() ? "the root module" : gate.dir()) + ": " + gate.kind() + " " + gate.name();
            if (body == null) {
                findings.add(where + " is missing (" + gate.why() + ")");
                continue;
            }
            JsonNode value = gate.attribute() == null ? body : body.path(gate.attribute());
            if (!value.toString().contains(gate.mention())) {
                findings.add(where + (gate.attribute() == null ? "" : " " + gate.attribute()) + " does not depend on "
                        + gate.mention() + " (" + gate.why() + ")");
            }
        }
        List<String> slotReaders = new ArrayList<>();
        for (TerraformFiles.Resource fn : terraform.resources("aws_lambda_function")) {
            String handler = fn.body().path("handler").asText("");
            if (SLOT_READERS.contains(handler)) {
                slotReaders.add(handler);
                JsonNode variables = fn.body().path("environment").path(0).path("variables");
                boolean own = variables.isObject() && SLOT_VALUE.equals(variables.path(SLOT_VARIABLE).asText(null));
                boolean inherited = handler.equals(SLOT_READERS.getFirst()) ? false : RELAY_ENVIRONMENT.equals(variables.asText(null));
                if (!own && !inherited) {
                    findings.add(fn.address() + " (" + handler + "): must get " + SLOT_VARIABLE + " = " + SLOT_VALUE
                            + (handler.equals(SLOT_READERS.getFirst()) ? "" : " (or the relay function's environment)")
                            + ", or it cannot tell which relay runs");
                }
            }
        }
        for (String reader : SLOT_READERS) {
            if (!slotReaders.contains(reader)) {
                findings.add("no aws_lambda_function has handler " + reader + " (it must run in the mode that needs it)");
            }
        }
        for (TerraformFiles.Resource fn : terraform.resources("aws_lambda_function")) {
            for (JsonNode environment : fn.body().path("environment")) {
                JsonNode value = environment.path("variables").path(WAKE_UP_VARIABLE);
                if (!value.isMissingNode() && !WAKE_UP_VALUES.contains(value.asText())) {
                    findings.add(fn.address() + ": " + WAKE_UP_VARIABLE + " = " + value.asText()
                            + " bypasses relay_mode; use local.relay_wake_up_target (or \"\" for a function that appends no outbox rows)");
                }
            }
        }
        return findings;
    }

    /** A module, variable or resource block, or a local's value, in one module directory; null if absent. */
    private static JsonNode block(TerraformFiles terraform, String dir, String kind, String name) {
        for (var file : terraform.parsed().entrySet()) {
            if (!ModuleWiringCheck.directoryOf(file.getKey()).equals(dir)) {
                continue;
            }
            JsonNode json = file.getValue();
            JsonNode found = switch (kind) {
                case "locals" -> {
                    for (JsonNode locals : json.path("locals")) {
                        if (locals.has(name)) {
                            yield locals.get(name);
                        }
                    }
                    yield null;
                }
                case "module", "variable" -> json.path(kind).path(name).path(0);
                default -> json.path("resource").path(kind).path(name).path(0);
            };
            if (found != null && !found.isMissingNode()) {
                return found;
            }
        }
        return null;
    }
}
