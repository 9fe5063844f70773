package dev.suite.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.suite.launcher.SuiteTopology.Instance;
import dev.suite.localstack.DevCertificates;
import dev.suite.localstack.SuiteRoot;

/** One of the suite's service jars running as a child process against a stack, with prefixed logs. */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /**
     * A small service's footprint: the serial collector, a heap that starts small and a young generation that
     * stays small (its pages are what a busy JVM touches first), up to 256 MiB when the live data needs it.
     */
    static final List<String> JVM_OPTIONS = jvmOptions(Runtime.version());

    static List<String> jvmOptions(Runtime.Version jdk) {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xms48m", "-Xmx256m", "-Xmn24m",
                "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30"));
        if (trimsNativeHeap(jdk)) {
            // Hand freed native memory (start-up's compiler and parser arenas) back to the OS every 10 s.
            options.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=10000"));
        }
        return List.copyOf(options);
    }

    /** The flag came with JDK 22 and was backported to 17.0.9 and 21.0.1; an older JVM refuses to start with it. */
    static boolean trimsNativeHeap(Runtime.Version jdk) {
        return switch (jdk.feature()) {
            case 17 -> jdk.update() >= 9;
            case 21 -> jdk.update() >= 1;
            default -> jdk.feature() >= 22;
        };
    }

    /**
     * What the build gives the JVMs of its tests ({@code suite.service.jvm-options}, the parent pom's
     * {@code test.jvm.options}): services started by a test live for seconds to minutes, where C2's compilations cost
     * more CPU than they win back (a module's tests took a quarter less CPU with C1 alone). Empty under make run and the
     * bench, which measure the services as production runs them.
     */
    static List<String> testJvmOptions() {
        String options = System.getProperty("suite.service.jvm-options", "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    /** Quarkus's AppCDS archive, dumped beside the jar by the build's JDK. */
    static final String QUARKUS_ARCHIVE = "app-cds.jsa";

    /**
     * Classes loaded pre-parsed from a class-data archive. A JVM accepts one only for the class path it was dumped
     * with ("quarkus-run.jar" relative to quarkus-app/, hence the working folder) and only if it is the same JDK
     * release. Quarkus dumps {@link #QUARKUS_ARCHIVE} with the JDK that built the jar (17: what .ci/run installs); a
     * JDK 25 refuses it with an error line and starts without. From JDK 19 the JVM keeps an archive of its own
     * instead, one per release beside the jar: written at its first exit, rewritten by the JVM when stale; its errors
     * still show.
     */
    static List<String> classDataSharing(Runtime.Version jdk, boolean quarkusArchive) {
        if (jdk.feature() >= 19) {
            // Writing it, the JVM warns of each class it leaves out (Quarkus's proxies, JFR events) onto make run's console.
            return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=app-cds-jdk" + jdk.feature() + ".jsa",
                    "-Xlog:cds=error");
        }
        return quarkusArchive ? List.of("-XX:SharedArchiveFile=" + QUARKUS_ARCHIVE) : List.of();
    }

    private final Instance instance;
    private final Process process;
    private final Path trustedCa;

    private ServiceProcess(Instance instance, Process process, Path trustedCa) {
        this.instance = instance;
        this.process = process;
        this.trustedCa = trustedCa;
    }

    /**
     * Starts the instance's {@code jar} (its module's {@link #packagedJar}) in the dev profile, its API and its
     * management interface (health, metrics, OpenAPI) on the instance's ports, with the stack's properties as
     * {@code SUITE_*} variables plus {@code environment} (SuiteTopology's, for this instance). Its management port
     * speaks TLS under a certificate of {@code trustedCa}, the only CA its readiness check trusts.
     */
    static ServiceProcess start(Instance instance, Path jar, Map<String, String> stackProperties, Map<String, String> environment,
            Path trustedCa, PrintStream log) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JVM_OPTIONS);
        command.addAll(testJvmOptions());
        command.addAll(classDataSharing(Runtime.version(), Files.exists(jar.resolveSibling(QUARKUS_ARCHIVE))));
        command.addAll(List.of("-jar", "quarkus-run.jar"));
        ProcessBuilder builder = new ProcessBuilder(instance.host().run(command)).directory(jar.getParent().toFile()).redirectErrorStream(true);
        // glibc keeps one malloc arena per core-ish thread burst; two are plenty for Netty and the JIT.
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(environmentOf(stackProperties));
        builder.environment().put("QUARKUS_PROFILE", "dev");
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(instance.port()));
        // The services' TLS-only API port is the same port (the gateway's topology settings name its own HTTPS port).
        builder.environment().put("QUARKUS_HTTP_SSL_PORT", String.valueOf(instance.port()));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(instance.managementPort()));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            String prefix = String.format(Locale.ROOT, "[%-12s] ", instance.name());
            Thread pump = new Thread(() -> prefixLines(prefix, process, log), instance.name() + "-log");
            pump.setDaemon(true);
            pump.start();
            return new ServiceProcess(instance, process, trustedCa);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + instance.name() + ": " + e.getMessage(), e);
        }
    }

    /** {@code <root>/<module>/target/quarkus-app/quarkus-run.jar}, checked as {@link #packagedJar(Path)} says. */
    static Path packagedJar(String module) {
        return packagedJar(SuiteRoot.find().resolve(module));
    }

    /**
     * The module's packaged jar, refused when it is missing or older than the module's main sources: a test must never
     * pass or fail against yesterday's build. (The tests of user-service and the gateway declare the modules they start
     * as Maven dependencies, so the reactor packages those first.)
     */
    static Path packagedJar(Path moduleDir) {
        String module = moduleDir.getFileName().toString();
        Path jar = moduleDir.resolve("target/quarkus-app/quarkus-run.jar");
        String build = "build it first: make build, or mvn -pl " + module + " -am install -DskipTests";
        if (!Files.exists(jar)) {
            throw new IllegalStateException("Missing " + jar + ": " + build);
        }
        try (Stream<Path> sources = Files.walk(moduleDir.resolve("src/main"))) {
            long packaged = Files.getLastModifiedTime(jar).toMillis();
            sources.filter(Files::isRegularFile).filter(source -> lastModified(source) > packaged).findAny().ifPresent(newer -> {
                throw new IllegalStateException(jar + " is older than " + newer + ": " + build);
            });
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + moduleDir + ": " + e.getMessage(), e);
        }
        return jar;
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0; // unreadable (or gone since the walk): not evidence of a stale jar
        }
    }

    public String name() {
        return instance.name();
    }

    public Instance instance() {
        return instance;
    }

    public int port() {
        return instance.port();
    }

    public String url() {
        return instance.url();
    }

    public int managementPort() {
        return instance.managementPort();
    }

    /** Where /q/health, /q/metrics and /q/openapi are: the management interface, never the API port. */
    public String managementUrl() {
        return instance.managementUrl();
    }

    public Process process() {
        return process;
    }

    /** The CA whose certificate its management port (and, but for the gateway in %prod, its API port) presents. */
    public Path trustedCa() {
        return trustedCa;
    }

    /** Waits until /q/health/ready on the management port answers 200; fails if the process exits or time runs out. */
    public ServiceProcess awaitReady() {
        return awaitReady(Duration.ofMillis(250));
    }

    /** {@link #awaitReady()}, asking every {@code poll}: a benchmark that times start-up asks more often. */
    public ServiceProcess awaitReady(Duration poll) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .sslContext(DevCertificates.trustingOnly(trustedCa)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " exited with " + process.exitValue() + " before it was ready (see its log).");
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name(), e);
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name(), e);
            }
        }
        throw new IllegalStateException(name() + " was not ready within " + READY_TIMEOUT.toSeconds() + " s.");
    }

    /**
     * SIGTERM, then SIGKILL if it has not stopped within 30 s: the services answer what is in flight for up to 20 s
     * (quarkus.shutdown.timeout), as Kubernetes gives them with its grace period.
     */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SUITE_PG_PORT and friends: Quarkus maps them onto the suite.* keys the %dev profiles read. */
    static Map<String, String> environmentOf(Map<String, String> properties) {
        Map<String, String> environment = new LinkedHashMap<>();
        properties.forEach((key, value) ->
                environment.put(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        return environment;
    }

    private static void prefixLines(String prefix, Process process, PrintStream log) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                log.println(prefix + line);
            }
        } catch (IOException e) {
            // The process is gone; its exit is reported by whoever waits for it.
        }
    }
}
