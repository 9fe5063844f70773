package dev.suite.bench.stack;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.suite.localstack.LocalStack;
import dev.suite.localstack.ServiceProcess;

/**
 * The real stack for the bench: embedded PostgreSQL (TLS) and Redis, then the service jars one after the other
 * on free ports (never make run's fixed ones, which a system test uses), each timed from process start to its first
 * 200 on /q/health/ready (on its management port). Started one at a time so each start-up time is the service's own,
 * not a share of a crowded CPU. Service logs go to files: the console is for the bench's progress.
 */
public final class BenchStack implements AutoCloseable {

    public static final String AUTH = "auth-service";
    public static final String USER = "user-service";
    /** A second user service with the revocation check off: the "without" side of revocation_check. */
    public static final String USER_NO_REVOCATION = "user-service-norevocation";
    public static final String GATEWAY = "gateway";


    private final LocalStack stack;
    private final Map<String, RunningService> services = new LinkedHashMap<>();
    private final List<PrintStream> logs = new ArrayList<>();
    private int gatewaySslPort;
    private boolean closed;

    private BenchStack(LocalStack stack) {
        this.stack = stack;
    }

    /** {@code created} gets the stack before any service starts, so that a Ctrl-C from then on stops them all. */
    public static BenchStack start(Path logDir, PrintStream out, Consumer<BenchStack> created) {
        // Four instances with reactive pools of 20 plus their Flyway connections exceed the local stack's
        // default of 60 connections under load (errors 53300 that would be the bench's own doing).
        System.setProperty("suite.pg.max-connections", "120");
        BenchStack bench = new BenchStack(LocalStack.startNew());
        created.accept(bench);
        try {
            bench.startServices(logDir, out);
            return bench;
        } catch (RuntimeException e) {
            bench.close();
            throw e;
        }
    }

    private void startServices(Path logDir, PrintStream out) {
        Map<String, String> properties = stack.properties();
        int authPort = LocalStack.freePort();
        String authUrl = "http://localhost:" + authPort;
        // Keeps the configured bcrypt cost: unlike the tests, no AUTH_PASSWORD_BCRYPT_COST here.
        start(AUTH, AUTH, authPort, properties, Map.of(), logDir, out);

        int userPort = LocalStack.freePort();
        start(USER, USER, userPort, properties, Map.of("SUITE_AUTH_URL", authUrl), logDir, out);
        // The bench-only setting of token-guard: the same service, minus the Redis round trip per request.
        start(USER_NO_REVOCATION, USER, LocalStack.freePort(), properties,
                Map.of("SUITE_AUTH_URL", authUrl, "TOKEN_GUARD_REVOCATION_ENABLED", "false"), logDir, out);

        gatewaySslPort = LocalStack.freePort();
        Map<String, String> gatewayEnv = new LinkedHashMap<>();
        gatewayEnv.put("SUITE_AUTH_URL", authUrl);
        gatewayEnv.put("SUITE_USER_URL", "http://localhost:" + userPort);
        gatewayEnv.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(gatewaySslPort));
        gatewayEnv.put("GATEWAY_REDIRECT_TO_HTTPS_PORT", String.valueOf(gatewaySslPort));
        // Bench only: all load comes from one loopback address, which the per-IP limits would otherwise stop
        // after a few hundred requests. Production keeps its defaults.
        gatewayEnv.put("GATEWAY_RATE_LIMITS_ALL_PER_WINDOW", "1000000000");
        gatewayEnv.put("GATEWAY_RATE_LIMITS_AUTH_PER_WINDOW", "1000000000");
        start(GATEWAY, GATEWAY, LocalStack.freePort(), properties, gatewayEnv, logDir, out);
    }

    private void start(String name, String module, int port, Map<String, String> properties, Map<String, String> env,
            Path logDir, PrintStream out) {
        PrintStream log = logFile(logDir.resolve(name + ".log"));
        long started = System.nanoTime();
        ServiceProcess process = ServiceProcess.start(module, port, LocalStack.freePort(), properties, env, log);
        RunningService service = new RunningService(name, process);
        synchronized (this) {
            if (closed) { // Ctrl-C while this one was starting
                process.close();
                throw new IllegalStateException("Stopped while starting " + name);
            }
            services.put(name, service);
        }
        process.awaitReady(Duration.ofMillis(20)); // start-up is a measured figure here: ask often
        service.startupMs = (System.nanoTime() - started) / 1_000_000;
        out.printf("[bench] %s ready on port %d in %d ms (log: %s)%n", name, port, service.startupMs,
                logDir.resolve(name + ".log"));
    }

    private PrintStream logFile(Path file) {
        try {
            Files.createDirectories(file.getParent());
            PrintStream log = new PrintStream(new FileOutputStream(file.toFile()), true, "UTF-8");
            logs.add(log);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String service) {
        return services.get(service).process.url();
    }

    public String gatewayHttpsUrl() {
        return "https://localhost:" + gatewaySslPort;
    }

    /** The dev CA that signed the gateway's certificate (and PostgreSQL's). */
    public Path caFile() {
        return Path.of(stack.properties().get("suite.pg.ca-file"));
    }

    public RunningService service(String name) {
        return services.get(name);
    }

    public List<RunningService> services() {
        return List.copyOf(services.values());
    }

    /** SIGTERM to every service at once, then wait for each; then the servers. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        services.values().forEach(s -> s.process.process().destroy());
        services.values().forEach(s -> s.process.close());
        services.clear();
        stack.close();
        logs.forEach(PrintStream::close);
        logs.clear();
    }

    /** One service instance and its measured figures. */
    public static final class RunningService {
        private final String name;
        private final ServiceProcess process;
        private long startupMs;
        private double rssIdleMiB = -1;
        private double rssAfterMiB = -1;

        RunningService(String name, ServiceProcess process) {
            this.name = name;
            this.process = process;
        }

        public String name() {
            return name;
        }

        public long pid() {
            return process.process().pid();
        }

        public long startupMs() {
            return startupMs;
        }

        public double rssIdleMiB() {
            return rssIdleMiB;
        }

        public double rssAfterMiB() {
            return rssAfterMiB;
        }

        public void recordIdle(double mib) {
            rssIdleMiB = mib;
        }

        public void recordAfter(double mib) {
            rssAfterMiB = mib;
        }
    }
}
