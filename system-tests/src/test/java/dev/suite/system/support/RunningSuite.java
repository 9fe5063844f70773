package dev.suite.system.support;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.suite.launcher.ServiceProcess;
import dev.suite.launcher.SuiteProcesses;
import dev.suite.launcher.SuiteTopology;
import dev.suite.launcher.Tuning;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.SuiteRoot;

/**
 * The packaged suite as the fault, load and fuzz tests need it: the embedded stack and the suite's topology on free
 * loopback ports (never make run's fixed ones), with fast hashing and the per-address limits lifted (every client
 * here is 127.0.0.1) and the example consumer registered as a client, started once per test JVM and stopped with it.
 * Tests may stop, kill and restart a service; it comes back on the same port. Service logs go to
 * {@code system-tests/target/suite-services.log}.
 */
public final class RunningSuite {

    public static final String AUTH = SuiteTopology.AUTH;
    public static final String USERS = SuiteTopology.USERS;
    public static final String GATEWAY = SuiteTopology.GATEWAY;
    /** The client id of the example consumer, registered with this suite's auth service. */
    public static final String EXAMPLE_CLIENT = "greeter";

    private static RunningSuite shared;

    private final SuiteProcesses services;
    private final Path logFile;
    private final PrintStream log;
    /** Jars started next to the suite ({@link #startBeside}), each with its own processes. */
    private final List<SuiteProcesses> beside = new ArrayList<>();

    private RunningSuite() {
        try {
            logFile = SuiteRoot.find().resolve("system-tests/target/suite-services.log");
            Files.createDirectories(logFile.getParent());
            log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, "UTF-8");
            SuiteTopology topology = SuiteTopology.onFreePorts().tuned(Tuning.FAST_HASHING, Tuning.ONE_CLIENT_ADDRESS, Tuning.PATIENT_REDIS)
                    .withSettings(AUTH, exampleClientRegistration(LocalStack.shared()));
            services = new SuiteProcesses(LocalStack.shared(), topology, name -> log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The example consumer's client (examples/token-guard-consumer, ConsumerExampleTest), registered with the auth
     * service as the README says a team registers one: two settings of the auth service, given here as environment
     * variables, its secret generated into .local like every dev secret.
     */
    private static Map<String, String> exampleClientRegistration(LocalStack stack) {
        return Map.of("AUTH_CLIENT_CREDENTIALS_CLIENTS_GREETER_AUDIENCES", USERS,
                "AUTH_CLIENT_CREDENTIALS_CLIENTS_GREETER_SECRET", exampleClientSecret(stack));
    }

    /** The example consumer's client secret: the auth service holds it (above), the example is given it. */
    public static String exampleClientSecret(LocalStack stack) {
        return stack.secrets().secret("client." + EXAMPLE_CLIENT);
    }

    /** The suite of this JVM, started (and ready) on first use. */
    public static synchronized RunningSuite shared() {
        if (shared == null) {
            RunningSuite suite = new RunningSuite();
            Runtime.getRuntime().addShutdownHook(new Thread(suite::close, "running-suite-stop"));
            long started = System.nanoTime();
            suite.services.topology().instances().forEach(instance -> suite.start(instance.name()));
            suite.awaitGatewayHttps();
            System.out.printf("[running-suite] auth :%d, users :%d, gateway https :%d, ready in %d ms; logs in %s%n",
                    suite.port(AUTH), suite.port(USERS), suite.gatewayHttpsPort(),
                    (System.nanoTime() - started) / 1_000_000, suite.logFile);
            shared = suite;
        }
        return shared;
    }

    public LocalStack stack() {
        return services.stack();
    }

    public String gatewayUrl() {
        return services.topology().gatewayUrl();
    }

    public int gatewayHttpsPort() {
        return services.topology().gatewayHttpsPort();
    }

    public String authUrl() {
        return services.topology().instance(AUTH).url();
    }

    public String userUrl() {
        return services.topology().instance(USERS).url();
    }

    public int port(String module) {
        return services.topology().instance(module).port();
    }

    /** Where the module's /q/health, /q/metrics and /q/openapi are: its management port, never its API port. */
    public String managementUrl(String module) {
        return services.topology().instance(module).managementUrl();
    }

    /** Everything the services have logged so far in this JVM's run (one file, every service's lines prefixed). */
    public String serviceLogs() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the module on its port (no-op when it runs) and waits until it is ready. */
    public void start(String module) {
        services.start(module);
    }

    /**
     * Readiness is asked on the gateway's management port; the tests talk HTTPS. The first connection of the test
     * JVM's client was once refused there right after "ready" (a load test that ran first failed on it), so the
     * suite counts as ready only when an HTTPS request has been answered too.
     */
    private void awaitGatewayHttps() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (Http.send("GET", gatewayUrl() + "/api/auth/csrf", Map.of(), (byte[]) null).status() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The gateway's HTTPS port did not answer ready within 30 s");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Starts the packaged jar of {@code module} (a path under the repository, e.g. {@code examples/oidc-consumer}) next to
     * the suite, on free ports, told what the suite's services are told (SUITE_AUTH_URL, ...) plus {@code environment},
     * and waits until it is ready; it stops with the suite. Its log lines go to the suite's log, prefixed with {@code name}.
     */
    public synchronized ServiceProcess startBeside(String name, String module, Map<String, String> environment) {
        SuiteProcesses processes = new SuiteProcesses(stack(), services.topology().withExtra(name, module, environment), any -> log);
        beside.add(processes);
        return processes.start(name);
    }

    private synchronized void close() {
        beside.forEach(SuiteProcesses::close);
        services.close();
    }

    /** SIGTERM, as an orchestrator stops a pod. */
    public void stop(String module) {
        services.stop(module);
    }

    /** SIGKILL: no shutdown hook, no graceful close of anything. */
    public void kill(String module) {
        services.kill(module);
    }

    public Duration gatewayUpstreamTimeout() {
        return Duration.ofSeconds(5); // GatewayConfig's default, which the dev profile keeps
    }

    /** The longest any answer may take: the gateway's upstream timeout plus 1 s of scheduling on a busy 2-core machine. */
    public long neverAHangMillis() {
        return gatewayUpstreamTimeout().toMillis() + 1000;
    }
}
