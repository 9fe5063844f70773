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

import dev.suite.launcher.ServiceProcess;
import dev.suite.launcher.SuiteProcesses;
import dev.suite.launcher.SuiteTopology;
import dev.suite.launcher.Tuning;
import dev.suite.localstack.DevCertificates;
import dev.suite.localstack.GuestDatabase;
import dev.suite.localstack.LocalStack;

/**
 * The real stack for the bench: embedded PostgreSQL (TLS) and Redis, then the suite's topology on free ports (never
 * make run's fixed ones, which a system test uses) plus a second user service without the revocation check, started
 * one after the other, each timed from process start to its first 200 on /q/health/ready (on its management port).
 * One at a time so each start-up time is the service's own, not a share of a crowded CPU. The bcrypt cost stays the
 * configured one (no fast hashing here); the per-address limits are lifted, as all load comes from one address.
 * Service logs go to files: the console is for the bench's progress.
 */
public final class BenchStack implements AutoCloseable {

    public static final String AUTH = SuiteTopology.AUTH;
    public static final String USER = SuiteTopology.USERS;
    /** A second user service with the revocation check off: the "without" side of revocation_check. */
    public static final String USER_NO_REVOCATION = "user-service-norevocation";
    public static final String GATEWAY = SuiteTopology.GATEWAY;

    private final LocalStack stack;
    private final SuiteProcesses processes;
    private final Map<String, RunningService> services = new LinkedHashMap<>();
    private final List<PrintStream> logs = new ArrayList<>();
    private boolean closed;

    private BenchStack(LocalStack stack, Path logDir) {
        this.stack = stack;
        SuiteTopology topology = SuiteTopology.onFreePorts().tuned(Tuning.ONE_CLIENT_ADDRESS, Tuning.PRODUCTION_TRACING)
                // The bench-only setting of token-guard: the same service, minus the Redis round trip per request.
                .withExtra(USER_NO_REVOCATION, SuiteTopology.USERS, Map.of("TOKEN_GUARD_REVOCATION_ENABLED", "false"))
                // Plain HTTP serves the API as in %prod behind the Ingress (gateway_read_http), instead of redirecting
                // to HTTPS: an empty value unsets the %dev redirect. HTTPS (gateway_read) is the same as make run's.
                .withSettings(GATEWAY, Map.of("GATEWAY_REDIRECT_TO_HTTPS_PORT", ""));
        this.processes = new SuiteProcesses(stack, topology, name -> logFile(logDir.resolve(name + ".log")));
    }

    /**
     * {@code created} gets the stack before any service starts, so that a Ctrl-C from then on stops them all.
     * {@code guests}: databases for a peer measured next to the suite (make bench-peers' Keycloak).
     */
    public static BenchStack start(Path logDir, PrintStream out, Consumer<BenchStack> created, List<GuestDatabase> guests) {
        // Four instances with reactive pools of 20 plus their Flyway connections exceed the local stack's
        // default of 60 connections under load (errors 53300 that would be the bench's own doing); a peer's pool
        // (Keycloak's default maximum is 100) comes on top.
        System.setProperty("suite.pg.max-connections", String.valueOf(120 + 110 * guests.size()));
        BenchStack bench = new BenchStack(LocalStack.startNew(guests), logDir);
        created.accept(bench);
        try {
            for (SuiteTopology.Instance instance : bench.processes.topology().instances()) {
                bench.startTimed(instance.name(), logDir, out);
            }
            return bench;
        } catch (RuntimeException e) {
            bench.close();
            throw e;
        }
    }

    private void startTimed(String name, Path logDir, PrintStream out) {
        long started = System.nanoTime();
        ServiceProcess process = processes.launch(name); // refused once close() ran: Ctrl-C while starting
        RunningService service = new RunningService(name, process);
        synchronized (this) {
            services.put(name, service);
        }
        process.awaitReady(Duration.ofMillis(20)); // start-up is a measured figure here: ask often
        service.startupMs = (System.nanoTime() - started) / 1_000_000;
        out.printf("[bench] %s ready on port %d in %d ms (log: %s)%n", name, process.port(), service.startupMs,
                logDir.resolve(name + ".log"));
    }

    private synchronized PrintStream logFile(Path file) {
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
        return processes.topology().instance(service).url();
    }

    /** The gateway's plain HTTP port, where it serves the API as behind the Ingress. */
    public String gatewayHttpUrl() {
        return processes.topology().instance(GATEWAY).url();
    }

    /** The stack's PostgreSQL port (a peer's database lives there too). */
    public int postgresPort() {
        return stack.postgres().port();
    }

    public String gatewayHttpsUrl() {
        return processes.topology().gatewayUrl();
    }

    /** The dev CA that signed the gateway's certificate (and PostgreSQL's). */
    public Path caFile() {
        return stack.tls().caCert();
    }

    /** The CA, the certificate and the key of the stack's servers (Keycloak serves its HTTPS port with the same). */
    public DevCertificates.TlsFiles tls() {
        return stack.tls();
    }

    public synchronized RunningService service(String name) {
        return services.get(name);
    }

    public synchronized List<RunningService> services() {
        return List.copyOf(services.values());
    }

    /** SIGTERM to every service at once, then wait for each; then the servers. Safe to call twice. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            services.clear();
        }
        processes.close();
        stack.close();
        synchronized (this) {
            logs.forEach(PrintStream::close);
            logs.clear();
        }
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
