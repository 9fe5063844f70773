package dev.suite.system.support;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.suite.launcher.SuiteProcesses;
import dev.suite.launcher.SuiteTopology;
import dev.suite.launcher.Tuning;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.SuiteRoot;

/**
 * A suite on a stack of a test's own, for tests whose stack must differ from the shared suite's (one that archives its
 * WAL, a Redis behind Sentinels) or that would disturb it: the packaged services on free ports with the system tests'
 * tunings, every one started and ready; their log in {@code system-tests/target/<logName>.log}. Closing stops the
 * services, then the stack.
 */
public final class SuiteOfItsOwn implements AutoCloseable {

    private final LocalStack stack;
    private final SuiteProcesses services;

    private SuiteOfItsOwn(LocalStack stack, SuiteProcesses services) {
        this.stack = stack;
        this.services = services;
    }

    /** {@code settings} adds to the topology (e.g. environment of some service); the stack is closed if a service fails to start. */
    public static SuiteOfItsOwn start(String logName, LocalStack stack, java.util.function.UnaryOperator<SuiteTopology> settings) {
        try {
            Path logFile = SuiteRoot.find().resolve("system-tests/target/" + logName + ".log");
            Files.createDirectories(logFile.getParent());
            PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, "UTF-8");
            SuiteProcesses services = new SuiteProcesses(stack,
                    settings.apply(SuiteTopology.onFreePorts().tuned(Tuning.FAST_HASHING, Tuning.ONE_CLIENT_ADDRESS, Tuning.PATIENT)),
                    name -> log);
            SuiteOfItsOwn suite = new SuiteOfItsOwn(stack, services);
            try {
                services.topology().instances().forEach(instance -> services.start(instance.name()));
            } catch (RuntimeException e) {
                suite.close();
                throw e;
            }
            return suite;
        } catch (IOException e) {
            stack.close();
            throw new UncheckedIOException(e);
        }
    }

    public LocalStack stack() {
        return stack;
    }

    public SuiteProcesses services() {
        return services;
    }

    public String gatewayUrl() {
        return services.topology().gatewayUrl();
    }

    @Override
    public void close() {
        services.close();
        stack.close();
    }
}
