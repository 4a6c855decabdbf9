package com.example.infrachecks;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Does the handler named in Terraform exist in the artifact, and can the Lambda Java runtime instantiate and call it?
 * The class is loaded from the jar alone (parent = platform loader, static initialisers not run), so a class or
 * supertype that exists only on this build's classpath does not count.
 */
public final class HandlerClassCheck {

    /** The Lambda runtime calls one of these; {@code MicronautRequestHandler} and {@code APIGatewayV2HTTPEventFunction} implement the first. */
    static final Set<String> HANDLER_INTERFACES = Set.of(
            "com.amazonaws.services.lambda.runtime.RequestHandler",
            "com.amazonaws.services.lambda.runtime.RequestStreamHandler");

    private HandlerClassCheck() {
    }

    /** @return problems; empty when the handler is usable */
    public static List<String> check(Path jar, String handler) {
        List<String> problems = new ArrayList<>();
        if (handler.contains("::")) {
            problems.add("handler " + handler + " uses Class::method; the handlers here are given as the class name only");
            return problems;
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> type;
            try {
                type = Class.forName(handler, false, loader);
            } catch (ClassNotFoundException e) {
                problems.add("handler class " + handler + " is not in " + jar.getFileName());
                return problems;
            } catch (LinkageError e) {
                problems.add("handler class " + handler + " cannot be loaded from " + jar.getFileName() + ": " + e);
                return problems;
            }
            if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
                problems.add("handler class " + handler + " must be a public concrete class");
            }
            if (!implementsAny(type, HANDLER_INTERFACES)) {
                problems.add("handler class " + handler + " implements neither RequestHandler nor RequestStreamHandler");
            }
            try {
                if (!Modifier.isPublic(type.getConstructor().getModifiers())) {
                    problems.add("handler class " + handler + " has no public no-arg constructor");
                }
            } catch (NoSuchMethodException e) {
                problems.add("handler class " + handler + " has no public no-arg constructor");
            } catch (LinkageError e) {
                problems.add("handler class " + handler + " constructors cannot be resolved from the jar: " + e);
            }
        } catch (IOException e) {
            problems.add("cannot read " + jar + ": " + e.getMessage());
        }
        return problems;
    }

    private static boolean implementsAny(Class<?> type, Set<String> interfaceNames) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        todo.add(type);
        while (!todo.isEmpty()) {
            Class<?> current = todo.pop();
            if (!seen.add(current)) {
                continue;
            }
            if (interfaceNames.contains(current.getName())) {
                return true;
            }
            if (current.getSuperclass() != null) {
                todo.add(current.getSuperclass());
            }
            todo.addAll(List.of(current.getInterfaces()));
        }
        return false;
    }
}
