package com.example.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.servers.SharedServers;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The jar's handlers built as Lambda builds them: the no-arg constructor (Micronaut's Lambda context, every singleton
 * created at init), in a class loader holding only this module's classes and its runtime libraries (no test-only
 * modules with beans of their own), configured through system properties, which outrank application.yml as Lambda's
 * environment variables do. The jobs get the relay's Kafka settings pointing at a broker that cannot answer
 * (127.0.0.1:1), as a job without Kafka permissions sees MSK: they must start without a Kafka client and without
 * waiting for a broker.
 */
class JobHandlersCreateNoKafkaClientTest {

    private static final String UNREACHABLE = "127.0.0.1:1";
    /** Test-only modules on this test's class path whose beans the deployed jar does not have. */
    private static final Set<String> NOT_IN_THE_JAR = Set.of("test-classes", "order-core", "cdc-relay", "contracts",
            "embedded-servers", "micronaut-flyway");

    @Test
    void theReconciliationJobCreatesNoKafkaClient() throws Exception {
        assertNoKafkaClient("com.example.relay.ReconciliationFunction", Map.of());
    }

    @Test
    void theCdcRetentionJobCreatesNoKafkaClient() throws Exception {
        assertNoKafkaClient("com.example.relay.CdcRetentionFunction", Map.of("cdc.slot", "outbox_relay"));
    }

    @Test
    void theRelayInCdcModeRefusesWithTheCdcMessageBeforeAnyTopicCheck() throws Exception {
        // No topic exists on this broker, and none is reachable: a topic check would fail or wait.
        try (var relay = assertNoKafkaClient("com.example.relay.OutboxRelayFunction", Map.of("cdc.slot", "outbox_relay"))) {
            var execute = relay.getClass().getMethod("execute", relay.getClass().getClassLoader()
                    .loadClass("com.example.relay.RelayTrigger"));
            assertThatThrownBy(() -> unwrapped(() -> execute.invoke(relay, (Object) null)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CDC_SLOT=outbox_relay").hasMessageContaining("does not run");
        }
    }

    @Test
    void thePollingRelayBuiltAsLambdaDoesCreatesItsProducerAndChecksItsTopicsAtInit() throws Exception {
        String created = "lambda-init-" + System.nanoTime();
        var settings = Map.of("kafka.bootstrap-servers", SharedServers.kafka().bootstrapServers(),
                "topics.order-created", created, "topics.order-cancelled-dlq", created + ".dlq");
        // The control: the relay's environment is active in its Lambda context, so missing topics stop its init.
        assertThatThrownBy(() -> lambdaInit("com.example.relay.OutboxRelayFunction", settings).close())
                .hasStackTraceContaining("Kafka topics '" + created + "'").hasStackTraceContaining("do not exist");
        SharedServers.kafka().createTopics(1, created, created + ".dlq");
        try (var relay = lambdaInit("com.example.relay.OutboxRelayFunction", settings)) {
            assertThat(bean(relay, "com.example.outbox.MessagePublisher")).isPresent();
        }
    }

    private static AutoCloseable assertNoKafkaClient(String handler, Map<String, String> extra) throws Exception {
        var settings = new HashMap<>(extra);
        settings.put("kafka.bootstrap-servers", UNREACHABLE);
        // A producer blocks this long for metadata it cannot get; the time budget rules move along with it.
        settings.putAll(Map.of("relay.producer.max-block-ms", "30000", "relay.min-time-budget", "31s",
                "relay.safety-margin", "60s", "relay.claim-hold-limit", "90s", "relay.max-duration", "300s"));
        long start = System.nanoTime();
        AutoCloseable function = lambdaInit(handler, settings);
        Duration init = Duration.ofNanos(System.nanoTime() - start);
        assertThat(bean(function, "com.example.outbox.MessagePublisher")).as("no Kafka publisher bean").isEmpty();
        assertThat(bean(function, "com.example.outbox.OutboxRelay")).isEmpty();
        assertThat(bean(function, "com.example.relay.RelayInvocation")).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).as("no Kafka producer thread")
                .noneMatch(t -> t.getName().startsWith("kafka-producer-network-thread | outbox-relay"));
        // A topic check against the unreachable broker would block relay.producer.max-block-ms (30 s) first.
        assertThat(init).as("init does not wait for the broker").isLessThan(Duration.ofSeconds(20));
        return function;
    }

    /** The handler's no-arg constructor, with the settings as system properties (plus this test's database). */
    private static AutoCloseable lambdaInit(String handler, Map<String, String> settings) throws Exception {
        var all = new HashMap<String, String>();
        RelayConfigurationTest.database().forEach((k, v) -> all.put(k, String.valueOf(v)));
        all.putAll(settings);
        all.forEach(System::setProperty);
        var loader = new URLClassLoader(jarClassPath(), ClassLoader.getPlatformClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // as Lambda's runtime does: Kafka loads its plug-ins through it
        try {
            return unwrapped(() -> (AutoCloseable) loader.loadClass(handler).getConstructor().newInstance());
        } finally {
            thread.setContextClassLoader(original);
            all.keySet().forEach(System::clearProperty);
        }
    }

    private static Optional<?> bean(AutoCloseable handler, String type) throws Exception {
        Object context = handler.getClass().getMethod("getApplicationContext").invoke(handler);
        Class<?> beanType = handler.getClass().getClassLoader().loadClass(type);
        return (Optional<?>) context.getClass().getMethod("findBean", Class.class).invoke(context, beanType);
    }

    private static URL[] jarClassPath() throws MalformedURLException {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (NOT_IN_THE_JAR.stream().noneMatch(entry::contains)) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return urls.toArray(URL[]::new);
    }

    private interface Reflective<T> {
        T call() throws Exception;
    }

    private static <T> T unwrapped(Reflective<T> call) throws Exception {
        try {
            return call.call();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
