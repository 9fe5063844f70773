package dev.suite.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.suite.localstack.DevCertificates;
import dev.suite.localstack.GuestDatabase;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.SuiteRoot;

/**
 * Keycloak, the system users would pick instead of the suite, as its guide runs it in production: the unpacked
 * {@code org.keycloak:keycloak-quarkus-dist} (make bench-peers fetches the version the parent pom pins into
 * .local/tools), built once for PostgreSQL with health checks ({@code bench/keycloak-build.sh}, not timed: the suite's jars are
 * built before the bench too), then {@code kc.sh start --optimized} on free loopback ports, {@code --cache=local} (one
 * node), kc.sh's default heap, on the bench's own JDK, against a database of the bench's PostgreSQL over verified TLS.
 * Start-up is timed like the services': process start to 200 on /health/ready (management port). It listens twice:
 * plain HTTP (as behind a TLS-terminating proxy, like the gateway's HTTP port) and HTTPS with the suite's own server
 * certificate and key (as the suite's services always answer), so each read of the suite is compared with Keycloak's
 * over the same transport. The bootstrap admin's password and the database password are generated per run, handed
 * over in the environment (never on a command line) and never written down.
 */
public final class Keycloak implements AutoCloseable {

    /** The database (and its owner role) Keycloak gets in the bench's PostgreSQL. */
    public static final String DATABASE = "keycloak";
    /** Left by bench/keycloak-build.sh: the build options and the JDK of the last kc.sh build. */
    private static final String BUILD_STAMP = ".bench-build";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private final Path home;
    private final Process process;
    private final int port;
    private final int httpsPort;
    private final int managementPort;
    private final String adminUser;
    private final String adminPassword;
    private long startupMs;
    private double rssIdleMiB = -1;

    private Keycloak(Path home, Process process, int port, int httpsPort, int managementPort, String adminUser, String adminPassword) {
        this.home = home;
        this.process = process;
        this.port = port;
        this.httpsPort = httpsPort;
        this.managementPort = managementPort;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
    }

    /** The unpacked distribution in {@code home}, checked before anything starts. */
    public static Path distribution(Path home) {
        if (!Files.isRegularFile(home.resolve("bin/kc.sh")) || !Files.isRegularFile(home.resolve("version.txt"))) {
            throw new IllegalStateException("No Keycloak distribution in " + home + ": run make bench-peers (it fetches "
                    + "org.keycloak:keycloak-quarkus-dist there with Maven)");
        }
        return home;
    }

    public static String version(Path home) {
        try {
            return Files.readString(home.resolve("version.txt")).trim().replaceFirst("^Keycloak - Version ", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A generated database for Keycloak: add it to the stack before PostgreSQL starts. */
    public static GuestDatabase database() {
        return new GuestDatabase(DATABASE, generated());
    }

    /**
     * {@code bench/keycloak-build.sh} ({@code kc.sh build}) on this JVM's JDK, which returns at once when the stamp it
     * left says the distribution was built with its options on this JDK: about 30 s on two cores otherwise.
     * {@code make bench-peers} has run it beside the suite's build already.
     */
    public static void buildOnce(Path home, Path log) throws InterruptedException {
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", SuiteRoot.find().resolve("bench/keycloak-build.sh").toString(),
                    home.toString(), System.getProperty("java.home"), log.toString()).redirectErrorStream(true);
            Process build = builder.start();
            // Its few lines through System.out, not the inherited descriptor: a test JVM's stdout is Surefire's channel.
            Thread output = new Thread(() -> build.inputReader().lines().forEach(System.out::println), "keycloak-build-output");
            output.setDaemon(true);
            output.start();
            // A Ctrl-C during the build must not leave kc.sh's JVM behind: nothing else knows about it yet.
            Thread stopBuild = new Thread(() -> stopTree(build.toHandle()), "keycloak-build-stop");
            Runtime.getRuntime().addShutdownHook(stopBuild);
            try {
                if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
                    throw new IllegalStateException("kc.sh build failed (see " + log + ")");
                }
            } finally {
                stopTree(build.toHandle());
                try {
                    Runtime.getRuntime().removeShutdownHook(stopBuild);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or has run: the build is stopped either way.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build Keycloak in " + home, e);
        }
    }

    /** What the distribution was built with, as keycloak-build.sh's stamp says: its options and JDK. */
    static String builtWith(Path home) {
        try {
            return Files.readString(home.resolve(BUILD_STAMP)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak in " + home + " is not built (bench/keycloak-build.sh)", e);
        }
    }

    /**
     * Starts Keycloak and waits for it; {@code started} gets it as soon as the process runs, so that a failure or a
     * Ctrl-C from then on stops it.
     */
    public static Keycloak start(Path home, GuestDatabase database, int postgresPort, DevCertificates.TlsFiles tls, Path log,
            Consumer<Keycloak> started) {
        int port = LocalStack.freePort();
        int httpsPort = LocalStack.freePort();
        int managementPort = LocalStack.freePort();
        String adminUser = "bench-admin";
        String adminPassword = generated();
        List<String> command = List.of("bash", home.resolve("bin/kc.sh").toString(), "start", "--optimized");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        databaseEnvironment(env, database, postgresPort, tls.caCert());
        env.put("KC_HTTP_ENABLED", "true");
        env.put("KC_HTTP_HOST", "127.0.0.1");
        env.put("KC_HTTP_PORT", String.valueOf(port));
        env.put("KC_HTTPS_PORT", String.valueOf(httpsPort));
        env.put("KC_HTTPS_CERTIFICATE_FILE", tls.serverCert().toString());
        env.put("KC_HTTPS_CERTIFICATE_KEY_FILE", tls.serverKey().toString());
        // With a certificate the management port would inherit HTTPS; the readiness poll speaks plain HTTP.
        env.put("KC_HTTP_MANAGEMENT_SCHEME", "http");
        env.put("KC_HTTP_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("KC_HOSTNAME", "http://127.0.0.1:" + port);
        env.put("KC_CACHE", "local");
        // The start-up poll asks every 20 ms; each "not ready yet" would be an INFO line of the health extension.
        env.put("KC_LOG_LEVEL", "INFO,io.smallrye.health:WARN");
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUser);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        long begin = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        Keycloak keycloak = new Keycloak(home, process, port, httpsPort, managementPort, adminUser, adminPassword);
        started.accept(keycloak);
        keycloak.awaitReady(log);
        keycloak.startupMs = (System.nanoTime() - begin) / 1_000_000;
        return keycloak;
    }

    /** The JDK and the database, as every kc.sh command here runs: the suite's JDK, the guest database over verified TLS. */
    private static void databaseEnvironment(Map<String, String> env, GuestDatabase database, int postgresPort, Path caFile) {
        env.put("JAVA_HOME", System.getProperty("java.home")); // the suite's JDK: the same for both
        env.put("KC_DB_URL_HOST", "localhost"); // the name in the server certificate: verify-server checks it
        env.put("KC_DB_URL_PORT", String.valueOf(postgresPort));
        env.put("KC_DB_URL_DATABASE", database.name());
        env.put("KC_DB_USERNAME", database.name());
        env.put("KC_DB_PASSWORD", database.password());
        env.put("KC_DB_TLS_MODE", "verify-server");
        env.put("KC_DB_TLS_TRUST_STORE_FILE", caFile.toString());
    }

    /**
     * {@code kc.sh export --realm <realm> --file <file>} against the database a stopped Keycloak used: the realm and its
     * users with their credentials as they are stored (the admin API's partial export blanks secrets).
     */
    public static void export(Path home, GuestDatabase database, int postgresPort, Path caFile, String realm, Path file, Path log)
            throws InterruptedException {
        List<String> command = List.of("bash", home.resolve("bin/kc.sh").toString(), "export", "--optimized", "--realm", realm,
                "--file", file.toAbsolutePath().toString(), "--users", "same_file");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        databaseEnvironment(builder.environment(), database, postgresPort, caFile);
        builder.environment().put("KC_CACHE", "local");
        try {
            Process export = builder.start();
            try {
                if (!export.waitFor(10, TimeUnit.MINUTES) || export.exitValue() != 0 || !Files.isRegularFile(file)) {
                    throw new IllegalStateException("kc.sh export failed (see " + log + ")");
                }
            } finally {
                stopTree(export.toHandle());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        }
    }

    private void awaitReady(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " before it was ready (see " + log + ")");
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
            sleep(20); // start-up is a measured figure: ask often, as for the services
        }
        throw new IllegalStateException("Keycloak was not ready within " + READY_TIMEOUT.toMinutes() + " min (see " + log + ")");
    }

    /** How the peer ran, for results.json: what a reader needs to reproduce it. */
    public static Map<String, Object> settings(Path home) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        map.put("command", "kc.sh start --optimized (built: kc.sh build " + builtWith(home) + ")");
        map.put("options", "http and https (the suite's server certificate) on 127.0.0.1, --cache=local, hostname "
                + "http://127.0.0.1:<port>, kc.sh's default heap");
        map.put("database", "the bench's PostgreSQL, database and owner role " + DATABASE + ", TLS verify-server with the dev CA");
        map.put("realm", "accessTokenLifespan 600 s (the suite's), else defaults; rotation rows: revokeRefreshToken true, maxReuse 0");
        return map;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The same server over TLS, with the suite's certificate: what the suite's direct and HTTPS reads compare with. */
    public String httpsUrl() {
        return "https://127.0.0.1:" + httpsPort;
    }

    public long startupMs() {
        return startupMs;
    }

    public void recordIdle(double mib) {
        rssIdleMiB = mib;
    }

    public double rssIdleMiB() {
        return rssIdleMiB;
    }

    public String adminUser() {
        return adminUser;
    }

    String adminPassword() {
        return adminPassword;
    }

    /** The JVM's pid: kc.sh runs java as its child and waits for it. */
    public long pid() {
        return javaProcess().map(ProcessHandle::pid).orElse(process.pid());
    }

    private Optional<ProcessHandle> javaProcess() {
        return process.toHandle().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
    }

    /** SIGTERM (kc.sh forwards it to the JVM), then SIGKILL to the whole tree if it has not stopped within 30 s. */
    @Override
    public void close() {
        stopTree(process.toHandle());
    }

    private static void stopTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(0, root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        tree.forEach(p -> {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        });
    }

    @Override
    public String toString() {
        return "Keycloak " + version(home) + " on " + url();
    }

    private static String generated() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
        }
    }
}
