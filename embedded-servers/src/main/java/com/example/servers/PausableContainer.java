package com.example.servers;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Stop and start for a Testcontainers-backed server: pause and unpause the container, so the mapped port and the
 * data survive the "outage" just as they do for the embedded servers.
 */
abstract class PausableContainer {

    private final GenericContainer<?> container;
    private boolean paused;

    PausableContainer(GenericContainer<?> container) {
        // Say plainly why the opt-in profile cannot run, instead of Testcontainers' long strategy-probing trace.
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("test.servers=testcontainers (-Ptestcontainers) needs a running Docker engine"
                    + " (API >= 1.44 works with Testcontainers " + DockerClientFactory.class.getPackage().getImplementationVersion()
                    + "); none was found. Run without -Ptestcontainers to use the embedded servers.");
        }
        this.container = container;
        container.start();
    }

    public synchronized void stop() {
        if (!paused) {
            container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
            paused = true;
        }
    }

    public synchronized void start() {
        if (paused) {
            container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
            paused = false;
        }
    }

    public void close() {
        container.stop();
    }
}
