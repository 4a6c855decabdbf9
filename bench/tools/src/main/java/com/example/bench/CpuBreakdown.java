package com.example.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the handler's CPU time goes, from a JFR recording's execution samples (Java code running on a CPU; time
 * blocked on the database socket is not sampled). Each sample goes to the first bucket that a frame matches,
 * walking from the leaf towards the thread's root, so a {@code HashMap.get} called by the router counts as routing.
 */
final class CpuBreakdown {

    /** Bucket name -> class-name prefixes, in the order they are tried on each frame. */
    static final Map<String, List<String>> BUCKETS = buckets();

    private static Map<String, List<String>> buckets() {
        var b = new LinkedHashMap<String, List<String>>();
        b.put("logging (logback, slf4j)", List.of("ch.qos.logback.", "org.slf4j."));
        b.put("JDBC driver and pool (pgjdbc, Hikari)", List.of("org.postgresql.", "com.zaxxer.hikari."));
        b.put("use case (order-core: rules, event JSON, fingerprint, SQL binding)", List.of("com.example.order.", "com.example.outbox."));
        b.put("controller (body parsing, validation, response mapping)", List.of("com.example.createorder."));
        b.put("JSON of response body (micronaut-serde, Jackson core)", List.of("io.micronaut.serde.", "io.micronaut.json.",
                "com.fasterxml.jackson."));
        b.put("routing and argument binding (micronaut-router, http-server)", List.of("io.micronaut.web.router.",
                "io.micronaut.http.server.", "io.micronaut.http.bind.", "io.micronaut.core.bind."));
        b.put("event<->request conversion (micronaut-function-aws-api-proxy)", List.of("io.micronaut.function.aws.",
                "io.micronaut.servlet."));
        b.put("other Micronaut (context, http, core)", List.of("io.micronaut."));
        b.put("runtime event serialisation (aws-lambda-java-serialization)", List.of("com.amazonaws.services.lambda.runtime.serialization."));
        b.put("benchmark harness", List.of("com.example.bench."));
        return b;
    }

    private CpuBreakdown() {
    }

    /** Sample count per bucket (plus "other JDK"), only for threads whose name starts with {@code threadPrefix}. */
    static Map<String, Integer> of(Path recording, String threadPrefix) throws Exception {
        return of(recording, threadPrefix, new TreeMap<>());
    }

    /**
     * As {@link #of(Path, String)}, also counting in {@code byClass} the class of the frame that decided each
     * sample's bucket (bucket + " / " + class), to look inside a large bucket.
     */
    static Map<String, Integer> of(Path recording, String threadPrefix, Map<String, Integer> byClass) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            var thread = event.getThread("sampledThread");
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith(threadPrefix)) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            String[] decided = classify(frames);
            counts.merge(decided[0], 1, Integer::sum);
            byClass.merge(decided[0] + " / " + decided[1] + " <- " + caller(frames), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * The nearest frame, from the leaf, outside Micronaut's bean context, core utilities and the JDK: which code asked
     * for the work (e.g. who looks beans up per request).
     */
    static String caller(List<RecordedFrame> leafFirst) {
        for (RecordedFrame frame : leafFirst) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("io.micronaut.context.") && !type.startsWith("io.micronaut.inject.")
                    && !type.startsWith("io.micronaut.core.") && !type.startsWith("java.") && !type.startsWith("jdk.")
                    && !type.startsWith("sun.")) {
                return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
            }
        }
        return "?";
    }

    /** {bucket, class name of the deciding frame}. */
    static String[] classify(List<RecordedFrame> leafFirst) {
        for (RecordedFrame frame : leafFirst) {
            String type = frame.getMethod().getType().getName();
            for (var bucket : BUCKETS.entrySet()) {
                for (String prefix : bucket.getValue()) {
                    if (type.startsWith(prefix)) {
                        return new String[] {bucket.getKey(), type};
                    }
                }
            }
        }
        String leaf = leafFirst.isEmpty() ? "?" : leafFirst.get(0).getMethod().getType().getName();
        return new String[] {"JDK only (no project or library frame)", leaf};
    }
}
