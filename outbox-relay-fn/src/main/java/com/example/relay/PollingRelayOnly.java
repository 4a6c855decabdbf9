package com.example.relay;

import io.micronaut.context.annotation.Requires;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the relay's Kafka beans (the producer and what publishes through it): they exist only in the polling relay's
 * context. That is {@link OutboxRelayFunction}'s, which activates the Micronaut environment
 * {@value OutboxRelayFunction#ENVIRONMENT}; the jar's job handlers ({@link ReconciliationFunction},
 * {@link CdcRetentionFunction}) do not, so their contexts, built eagerly as Lambda's are, create no Kafka client and
 * need no broker or Kafka permission. With the CDC relay ({@code cdc.slot} set, ADR 0082) the polling relay only refuses
 * to run, so neither is there a producer nor a start-up topic check then: it refuses with the CDC message.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Requires(env = OutboxRelayFunction.ENVIRONMENT)
@Requires(property = "cdc.slot", pattern = "\\s*") // blank: the polling relay (CdcConfiguration#cdcMode)
@interface PollingRelayOnly {
}
