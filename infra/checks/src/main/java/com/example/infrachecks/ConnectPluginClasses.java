package com.example.infrachecks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The classes of an MSK Connect custom plugin ZIP, loaded the way a Kafka Connect worker loads them: the worker's own
 * Kafka jars (Kafka Connect as MSK Connect runs it, 3.7.x) in one class loader, the plugin's jars in a child of it,
 * and the plugin loader as the thread's context class loader while plugin code runs (Debezium's class-typed settings
 * are resolved through it, as in the worker). Nothing from the checks' own class path (Kafka 4.x) is visible.
 *
 * <p>Every configuration name below comes from the classes themselves ({@code ConfigDef} of the connector, the
 * transformation, the converters, Kafka Connect's connector and worker configurations), never from a list kept by hand.
 */
public final class ConnectPluginClasses implements AutoCloseable {

    private final Path unpacked;
    private final URLClassLoader worker;
    private final URLClassLoader plugin;

    private ConnectPluginClasses(Path unpacked, URLClassLoader worker, URLClassLoader plugin) {
        this.unpacked = unpacked;
        this.worker = worker;
        this.plugin = plugin;
    }

    /**
     * @param zip           the custom plugin ZIP (jars, at any depth)
     * @param workerJarsDir a directory of the Kafka Connect worker's jars (connect-api, connect-runtime, kafka-clients, ...)
     */
    public static ConnectPluginClasses open(Path zip, Path workerJarsDir) throws IOException {
        Path unpacked = Files.createTempDirectory("msk-connect-plugin");
        List<URL> pluginJars = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            int n = 0;
            for (ZipEntry entry : file.stream().filter(e -> e.getName().endsWith(".jar")).toList()) {
                Path jar = unpacked.resolve((n++) + "-" + Path.of(entry.getName()).getFileName());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                }
                pluginJars.add(jar.toUri().toURL());
            }
        }
        List<URL> workerJars = new ArrayList<>();
        try (Stream<Path> jars = Files.list(workerJarsDir)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                workerJars.add(jar.toUri().toURL());
            }
        }
        if (workerJars.isEmpty()) {
            throw new IOException("no Kafka Connect jars in " + workerJarsDir + " (the Maven build copies them there)");
        }
        URLClassLoader worker = new URLClassLoader("kafka-connect-worker", workerJars.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        URLClassLoader plugin = new URLClassLoader("msk-connect-plugin", pluginJars.toArray(URL[]::new), worker);
        return new ConnectPluginClasses(unpacked, worker, plugin);
    }

    /** The property names of a connector class's {@code config()}. */
    public Set<String> connectorConfigNames(String connectorClass) {
        return namesOf(() -> invoke(newInstance(connectorClass), "config"));
    }

    /**
     * The property names of any other pluggable class's {@code config()}: a {@code Transformation}, {@code Predicate},
     * {@code Converter} or {@code HeaderConverter}.
     */
    public Set<String> pluginConfigNames(String className) {
        return namesOf(() -> invoke(newInstance(className), "config"));
    }

    /** What a connector's {@code version()} says, e.g. {@code 3.6.1.Final}. */
    public String connectorVersion(String connectorClass) {
        return inPlugin(() -> String.valueOf(invoke(newInstance(connectorClass), "version")));
    }

    /** Kafka Connect's own connector-level properties for a source connector ({@code SourceConnectorConfig.configDef()}). */
    public Set<String> sourceConnectorFrameworkNames() {
        return namesOf(() -> worker.loadClass("org.apache.kafka.connect.runtime.SourceConnectorConfig")
                .getMethod("configDef").invoke(null));
    }

    /** The properties of a distributed Kafka Connect worker, as MSK Connect runs one ({@code DistributedConfig}). */
    public Set<String> distributedWorkerNames() {
        return namesOf(() -> {
            Class<?> crypto = worker.loadClass("org.apache.kafka.connect.runtime.distributed.Crypto");
            Method config = worker.loadClass("org.apache.kafka.connect.runtime.distributed.DistributedConfig")
                    .getDeclaredMethod("config", crypto);
            config.setAccessible(true);
            return config.invoke(null, crypto.getField("SYSTEM").get(null));
        });
    }

    /** The Kafka producer's properties ({@code ProducerConfig.configNames()}), for {@code producer.override.*}. */
    public Set<String> producerNames() {
        return inPlugin(() -> {
            @SuppressWarnings("unchecked")
            Set<String> names = (Set<String>) worker.loadClass("org.apache.kafka.clients.producer.ProducerConfig")
                    .getMethod("configNames").invoke(null);
            return new TreeSet<>(names);
        });
    }

    /** Whether the class loads from the plugin and implements Kafka's {@code ConfigProvider} (of the worker's Kafka). */
    public boolean isConfigProvider(String className) {
        try {
            Class<?> api = worker.loadClass("org.apache.kafka.common.config.provider.ConfigProvider");
            return api.isAssignableFrom(Class.forName(className, false, plugin));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Whether the plugin (or the worker) can load the class. */
    public boolean canLoad(String className) {
        try {
            Class.forName(className, false, plugin);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private Object newInstance(String className) throws ReflectiveOperationException {
        return Class.forName(className, true, plugin).getConstructor().newInstance();
    }

    private static Object invoke(Object target, String method) throws ReflectiveOperationException {
        return target.getClass().getMethod(method).invoke(target);
    }

    private Set<String> namesOf(Callable<Object> configDef) {
        return inPlugin(() -> {
            Object def = configDef.call();
            @SuppressWarnings("unchecked")
            Set<String> names = (Set<String>) def.getClass().getMethod("names").invoke(def);
            return new TreeSet<>(names);
        });
    }

    private <T> T inPlugin(Callable<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(plugin);
        try {
            return action.call();
        } catch (Exception e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            throw new IllegalStateException("plugin class failed on the worker's Kafka: " + cause, cause);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() throws IOException {
        plugin.close();
        worker.close();
        try (Stream<Path> files = Files.walk(unpacked)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
