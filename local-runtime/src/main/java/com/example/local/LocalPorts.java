package com.example.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports {@code run} listens on, checked before anything starts: a port that is taken (a second
 * {@code bin/run-local}, a PostgreSQL or Kafka already on the machine) fails at once with a message naming the port,
 * what wanted it and the option that moves it, instead of an embedded server's start-up error minutes later.
 */
final class LocalPorts {

    /**
     * One port the runtime wants.
     *
     * @param port   the port; 0 (any free port) is never checked
     * @param what   who listens there, e.g. "embedded PostgreSQL"
     * @param option how to choose another, e.g. "--postgres-port=N (or LOCAL_POSTGRES_PORT)"
     */
    record Wanted(int port, String what, String option) {
    }

    /** Thrown when one or more wanted ports are taken; the message is for the person who ran the command. */
    static final class PortsInUseException extends IllegalStateException {
        PortsInUseException(String message) {
            super(message);
        }
    }

    private LocalPorts() {
    }

    /**
     * Binds each non-zero port for a moment on all interfaces (what the HTTP API does; a listener on localhost only
     * conflicts with that too) and releases it.
     *
     * @throws PortsInUseException naming every taken port, what wanted it and its option
     */
    static void requireFree(List<Wanted> ports) {
        List<String> taken = new ArrayList<>();
        for (Wanted wanted : ports) {
            if (wanted.port() != 0 && !free(wanted.port())) {
                taken.add("port " + wanted.port() + " (" + wanted.what() + ") is already in use: choose another with "
                        + wanted.option());
            }
        }
        if (!taken.isEmpty()) {
            throw new PortsInUseException(String.join("\n", taken) + "\nPort 0 picks a free one; the banner shows"
                    + " which. Another bin/run-local also needs its own --data-dir.");
        }
    }

    static boolean free(int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true); // a port in TIME_WAIT is free for a listener; one with a listener is not
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
