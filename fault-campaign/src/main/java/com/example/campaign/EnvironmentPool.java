package com.example.campaign;

import com.example.local.DeployedFunction;
import com.example.local.LambdaFunction;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A function with several execution environments started one after the other before use: each a
 * {@link DeployedFunction} of concurrency 1, handed to one invocation at a time. Started in sequence because
 * execution environments of one jar that start at the same moment in one JVM can break each other's start
 * (Micronaut closes the jar's shared zip file system while another environment reads its configuration).
 */
final class EnvironmentPool implements LambdaFunction, AutoCloseable {

    private final String name;
    private final List<DeployedFunction> environments;
    private final BlockingQueue<DeployedFunction> idle;

    EnvironmentPool(String name, List<DeployedFunction> environments) {
        this.name = name;
        this.environments = List.copyOf(environments);
        this.idle = new ArrayBlockingQueue<>(environments.size());
        for (DeployedFunction environment : environments) {
            idle.add(environment.warmUp());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] invoke(byte[] eventJson) throws FunctionError {
        DeployedFunction environment;
        try {
            environment = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            return environment.invoke(eventJson);
        } finally {
            idle.add(environment);
        }
    }

    @Override
    public void close() {
        environments.forEach(DeployedFunction::close);
    }
}
