package com.example.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a function's JVM has spent so far, read from outside the process at one moment (the benchmark takes it when
 * the runtime client's first {@code GET /runtime/invocation/next} arrives, i.e. at the end of init, and again when
 * the first response arrives).
 *
 * <p><b>CPU ms</b>: {@code utime + stime} of the whole process (all its threads, including those already ended)
 * from {@code /proc/<pid>/stat} (fields 14 and 15, in clock ticks of 1/100 s, the fixed {@code USER_HZ} of Linux's
 * /proc interface; see proc(5)). So the resolution is 10 ms. Unlike wall-clock time it hardly depends on how many
 * other processes share the cores, which is why it resolves effects of a few percent that wall time on a shared
 * machine cannot. On Lambda the init of a 1024 MB function gets about 0.58 of a vCPU, so its init is CPU-bound
 * and CPU ms is close to what the caller waits for.
 *
 * <p><b>Classes</b>: the JVM's own counters {@code java.cls.loadedClasses + java.cls.sharedLoadedClasses} (what
 * {@code jstat -class} prints as "Loaded"), read from the process's hsperfdata file through the JDK's jvmstat API.
 * That API is not exported, so the benchmark's JVM needs {@code --add-modules jdk.internal.jvmstat --add-exports
 * jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED} (bin/bench-coldstart passes them); without them, or with
 * {@code -XX:-UsePerfData} in the function's flags, the class count is reported as unknown (-1).
 */
final class ProcessProbe implements AutoCloseable {

    /** Linux's /proc clock tick (USER_HZ), fixed at 100 per second on every architecture the JDK supports. */
    private static final double MS_PER_TICK = 10.0;

    /** A reading: CPU ms so far, classes loaded so far (-1 when unknown). */
    record Sample(double cpuMs, long classes) {
        static final Sample NONE = new Sample(Double.NaN, -1);
    }

    private final long pid;
    private boolean attachTried;
    private Object vm; // sun.jvmstat.monitor.MonitoredVm once attached; null if unavailable

    ProcessProbe(long pid) {
        this.pid = pid;
    }

    /** Reads both figures now; never throws (a figure it cannot read comes back as NaN or -1). */
    synchronized Sample sample() {
        return new Sample(cpuMs(), classes());
    }

    /** Releases the mapped hsperfdata file. */
    @Override
    public synchronized void close() {
        if (vm != null) {
            try {
                Class.forName("sun.jvmstat.monitor.MonitoredVm").getMethod("detach").invoke(vm);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // the process is gone; nothing to release beyond the mapping
            }
            vm = null;
        }
    }

    private double cpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private long classes() {
        try {
            if (!attachTried) {
                attachTried = true;
                Class<?> hostType = Class.forName("sun.jvmstat.monitor.MonitoredHost");
                Class<?> idType = Class.forName("sun.jvmstat.monitor.VmIdentifier");
                Object host = hostType.getMethod("getMonitoredHost", String.class).invoke(null, "localhost");
                Object id = idType.getConstructor(String.class).newInstance(Long.toString(pid));
                vm = hostType.getMethod("getMonitoredVm", idType).invoke(host, id);
            }
            if (vm == null) {
                return -1;
            }
            return counter("java.cls.loadedClasses") + counter("java.cls.sharedLoadedClasses");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            vm = null;
            return -1;
        }
    }

    /** A counter's value through the exported interfaces (MonitoredVm.findByName, Monitor.getValue). */
    private long counter(String name) throws ReflectiveOperationException {
        Object monitor = Class.forName("sun.jvmstat.monitor.MonitoredVm").getMethod("findByName", String.class)
                .invoke(vm, name);
        if (monitor == null) {
            throw new IllegalStateException("no counter " + name);
        }
        return ((Number) Class.forName("sun.jvmstat.monitor.Monitor").getMethod("getValue").invoke(monitor)).longValue();
    }
}
