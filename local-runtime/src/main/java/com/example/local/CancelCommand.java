package com.example.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cancel <orderId> [reason]}: sends {@code order.cancelled} {"orderId","reason"} keyed by the order id, for
 * machines without kcat or Kafka's scripts. The JSON is what any upstream producer would send.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Publish order.cancelled {\"orderId\",\"reason\"} for an order (key = order id).")
final class CancelCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "ORDER_ID", description = "the order's UUID")
    UUID orderId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REASON", defaultValue = "cancelled from the command line",
            description = "free text (default: ${DEFAULT-VALUE})")
    String reason;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:19092}",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Override
    public Integer call() throws Exception {
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            var meta = producer.send(record(orderId.toString(), reason)).get();
            System.out.printf("sent order.cancelled for %s to partition %d offset %d%n", orderId, meta.partition(), meta.offset());
        }
        return 0;
    }

    /**
     * The record this command sends: value {@code {"orderId","reason"}} (contracts/order.cancelled/v1), key the
     * order id, header {@code content-type: application/json}. Jackson writes the JSON so any reason text, control
     * characters included, stays valid JSON.
     */
    static ProducerRecord<String, String> record(String orderId, String reason) throws JsonProcessingException {
        var body = new LinkedHashMap<String, String>();
        body.put("orderId", orderId);
        body.put("reason", reason);
        var record = new ProducerRecord<>("order.cancelled", orderId, JSON.writeValueAsString(body));
        record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
