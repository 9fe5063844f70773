package dev.suite.system.support;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.suite.localstack.LocalStack;
import dev.suite.localstack.ServiceProcess;
import dev.suite.localstack.SuiteRoot;

/**
 * The packaged suite as the fault, load and fuzz tests need it: the embedded stack and the three service jars on
 * free loopback ports (never make run's fixed ones), started once per test JVM and stopped with it.
 * Tests may stop, kill and restart a service; it comes back on the same port. Service logs go to
 * {@code system-tests/target/suite-services.log}.
 */
public final class RunningSuite {

    public static final String AUTH = "auth-service";
    public static final String USERS = "user-service";
    public static final String GATEWAY = "gateway";

    private static RunningSuite shared;

    private final LocalStack stack;
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, Integer> managementPorts = new HashMap<>();
    private final int gatewayHttpsPort = LocalStack.freePort();
    private final Map<String, ServiceProcess> running = new ConcurrentHashMap<>();
    private final PrintStream log;
    private final Path logFile;

    private RunningSuite() {
        this.stack = LocalStack.shared();
        for (String module : new String[] { AUTH, USERS, GATEWAY }) {
            ports.put(module, LocalStack.freePort());
            managementPorts.put(module, LocalStack.freePort());
        }
        try {
            logFile = SuiteRoot.find().resolve("system-tests/target/suite-services.log");
            Files.createDirectories(logFile.getParent());
            log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, "UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The suite of this JVM, started (and ready) on first use. */
    public static synchronized RunningSuite shared() {
        if (shared == null) {
            RunningSuite suite = new RunningSuite();
            Runtime.getRuntime().addShutdownHook(new Thread(suite::stopAll, "running-suite-stop"));
            long started = System.nanoTime();
            for (String module : new String[] { AUTH, USERS, GATEWAY }) {
                suite.start(module);
            }
            suite.awaitGatewayHttps();
            System.out.printf("[running-suite] auth :%d, users :%d, gateway https :%d, ready in %d ms; logs in %s%n",
                    suite.ports.get(AUTH), suite.ports.get(USERS), suite.gatewayHttpsPort,
                    (System.nanoTime() - started) / 1_000_000, suite.logFile);
            shared = suite;
        }
        return shared;
    }

    public LocalStack stack() {
        return stack;
    }

    public String gatewayUrl() {
        return "https://localhost:" + gatewayHttpsPort;
    }

    public int gatewayHttpsPort() {
        return gatewayHttpsPort;
    }

    public String authUrl() {
        return "http://localhost:" + ports.get(AUTH);
    }

    public String userUrl() {
        return "http://localhost:" + ports.get(USERS);
    }

    public int port(String module) {
        return ports.get(module);
    }

    /** Where the module's /q/health, /q/metrics and /q/openapi are: its management port, never its API port. */
    public String managementUrl(String module) {
        return "http://localhost:" + managementPorts.get(module);
    }

    /** Starts the module on its port (no-op when it runs) and waits until it is ready. */
    public synchronized void start(String module) {
        ServiceProcess process = running.get(module);
        if (process != null && process.process().isAlive()) {
            return;
        }
        running.put(module, ServiceProcess.start(module, ports.get(module), managementPorts.get(module), stack.properties(),
                environment(module), log).awaitReady());
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

    /** SIGTERM, as an orchestrator stops a pod. */
    public synchronized void stop(String module) {
        ServiceProcess process = running.remove(module);
        if (process != null) {
            process.close();
        }
    }

    /** SIGKILL: no shutdown hook, no graceful close of anything. */
    public synchronized void kill(String module) {
        ServiceProcess process = running.remove(module);
        if (process != null) {
            process.process().destroyForcibly();
            try {
                process.process().waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public Duration gatewayUpstreamTimeout() {
        return Duration.ofSeconds(5); // GatewayConfig's default, which the dev profile keeps
    }

    /** The longest any answer may take: the gateway's upstream timeout plus 1 s of scheduling on a busy 2-core machine. */
    public long neverAHangMillis() {
        return gatewayUpstreamTimeout().toMillis() + 1000;
    }

    private Map<String, String> environment(String module) {
        Map<String, String> env = new HashMap<>();
        env.put("SUITE_AUTH_URL", authUrl());
        env.put("SUITE_USER_URL", userUrl());
        // As in the module tests: these tests exercise faults and load, not the hashing cost.
        env.put("AUTH_PASSWORD_BCRYPT_COST", "4");
        // Every client of these tests shares 127.0.0.1: the per-IP limits (tested in RateLimitTest and
        // LoginThrottleIpTest) would otherwise answer 429 to the load test. Per-account limits stay as they are.
        env.put("AUTH_LOGIN_THROTTLE_IP_THRESHOLD", "1000000");
        env.put("GATEWAY_RATE_LIMITS_AUTH_PER_WINDOW", "1000000");
        env.put("GATEWAY_RATE_LIMITS_ALL_PER_WINDOW", "10000000");
        if (GATEWAY.equals(module)) {
            env.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(gatewayHttpsPort));
            env.put("GATEWAY_REDIRECT_TO_HTTPS_PORT", String.valueOf(gatewayHttpsPort));
        }
        return env;
    }

    private synchronized void stopAll() {
        running.values().forEach(p -> p.process().destroy());
        running.values().forEach(ServiceProcess::close);
        running.clear();
    }
}
