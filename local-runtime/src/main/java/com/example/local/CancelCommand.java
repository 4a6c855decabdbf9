package com.example.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code cancel <orderId> [reason] [--bootstrap-servers=…]}: sends {@code order.cancelled} {"orderId","reason"} keyed
 * by the order id, for machines without kcat or Kafka's scripts. The JSON is what any upstream producer would send.
 */
final class CancelCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CancelCommand() {
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

    static void main(List<String> args) throws Exception {
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:19092");
        List<String> positional = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--bootstrap-servers=")) {
                bootstrap = arg.substring("--bootstrap-servers=".length());
            } else {
                positional.add(arg);
            }
        }
        if (positional.isEmpty()) {
            System.err.println("usage: cancel <orderId> [reason] [--bootstrap-servers=localhost:19092]");
            System.exit(2);
        }
        String orderId = UUID.fromString(positional.get(0)).toString();
        String reason = positional.size() > 1 ? positional.get(1) : "cancelled from the command line";
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            var meta = producer.send(record(orderId, reason)).get();
            System.out.printf("sent order.cancelled for %s to partition %d offset %d%n", orderId, meta.partition(), meta.offset());
        }
    }
}
