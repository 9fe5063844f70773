package dev.suite.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.suite.launcher.SuiteTopology.Instance;
import dev.suite.localstack.LocalStack;

/**
 * The instances of a topology as child processes against a stack. An instance may be stopped (SIGTERM), killed
 * (SIGKILL) and started again; it comes back on the same ports. Closing stops every instance at once, then waits.
 */
public final class SuiteProcesses implements AutoCloseable {

    private final LocalStack stack;
    private final SuiteTopology topology;
    private final Function<String, PrintStream> logs;
    private final Map<String, ServiceProcess> running = new LinkedHashMap<>();
    /** Each module's jar, checked once at its first start: a restart in the middle of a test runs the same jar. */
    private final Map<String, Path> jars = new HashMap<>();
    private boolean closed;

    /** {@code logs} gives the stream each instance's output goes to, by instance name. */
    public SuiteProcesses(LocalStack stack, SuiteTopology topology, Function<String, PrintStream> logs) {
        this.stack = stack;
        this.topology = topology;
        this.logs = logs;
    }

    public SuiteTopology topology() {
        return topology;
    }

    public LocalStack stack() {
        return stack;
    }

    /** Starts the instance unless it runs, without waiting for it to be ready. */
    public synchronized ServiceProcess launch(String name) {
        if (closed) {
            throw new IllegalStateException("Stopped: not starting " + name);
        }
        ServiceProcess process = running.get(name);
        if (process != null && process.process().isAlive()) {
            return process;
        }
        Instance instance = topology.instance(name);
        Path jar = jars.computeIfAbsent(instance.module(), ServiceProcess::packagedJar);
        process = ServiceProcess.start(instance, jar, topology.stackSettings(name, stack.properties()), topology.environment(name),
                Path.of(stack.properties().get("suite.tls.ca-file")), logs.apply(name));
        running.put(name, process);
        return process;
    }

    /** {@link #launch} and wait until the instance is ready. */
    public ServiceProcess start(String name) {
        return launch(name).awaitReady();
    }

    /** Runs the topology's migration Jobs one after the other to completion; fails on a non-zero exit. */
    public void migrate() {
        for (Instance job : topology.migrations()) {
            ServiceProcess process = launch(job.name());
            try {
                if (!process.process().waitFor(180, TimeUnit.SECONDS)) {
                    process.process().destroyForcibly();
                    throw new IllegalStateException(job.name() + " did not finish within 180 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while " + job.name() + " ran", e);
            }
            synchronized (this) {
                running.remove(job.name());
            }
            if (process.process().exitValue() != 0) {
                throw new IllegalStateException(job.name() + " exited with " + process.process().exitValue() + " (see its log)");
            }
        }
    }

    /** The running instances, in the order they were started. */
    public synchronized List<ServiceProcess> running() {
        return new ArrayList<>(running.values());
    }

    /** SIGTERM, as an orchestrator stops a pod, then wait for the exit. */
    public void stop(String name) {
        ServiceProcess process;
        synchronized (this) {
            process = running.remove(name);
        }
        if (process != null) {
            process.close();
        }
    }

    /** SIGKILL: no shutdown hook, no graceful close of anything. */
    public void kill(String name) {
        ServiceProcess process;
        synchronized (this) {
            process = running.remove(name);
        }
        if (process != null) {
            process.process().destroyForcibly();
            try {
                process.process().waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM to every instance first, so they stop in parallel; then wait for each. Safe to call twice. */
    @Override
    public void close() {
        List<ServiceProcess> stopping;
        synchronized (this) {
            closed = true;
            stopping = new ArrayList<>(running.values());
            running.clear();
        }
        stopping.forEach(process -> process.process().destroy());
        stopping.forEach(ServiceProcess::close);
    }
}
