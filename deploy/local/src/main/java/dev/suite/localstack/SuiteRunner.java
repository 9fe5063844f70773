package dev.suite.localstack;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code make run}: the embedded stack plus the three services as child processes with prefixed logs.
 * Waits until every service is ready, prints where to point a browser or curl, and on Ctrl-C or SIGTERM
 * stops the services, then the servers, leaving nothing behind.
 */
public final class SuiteRunner {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final PrintStream OUT = System.out;

    private record Service(String name, int port, Path jar) {
    }

    private final List<Process> children = new ArrayList<>();
    private volatile boolean stopping;
    private LocalStack stack;

    public static void main(String[] args) {
        Path root = SuiteRoot.find();
        List<Service> services = List.of(
                new Service("auth-service", 8081, root.resolve("auth-service/target/quarkus-app/quarkus-run.jar")),
                new Service("user-service", 8082, root.resolve("user-service/target/quarkus-app/quarkus-run.jar")),
                new Service("gateway", 8080, root.resolve("gateway/target/quarkus-app/quarkus-run.jar")));
        for (Service service : services) {
            if (!Files.exists(service.jar())) {
                OUT.println("Missing " + service.jar() + ": build first (make run does).");
                System.exit(2);
            }
        }
        SuiteRunner runner = new SuiteRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(runner::stopAll, "suite-stop"));
        System.exit(runner.run(services));
    }

    private int run(List<Service> services) {
        stack = LocalStack.startNew();
        Map<String, String> environment = environmentOf(stack.properties());
        try {
            for (Service service : services) {
                children.add(launch(service, environment));
            }
            for (int i = 0; i < services.size(); i++) {
                awaitReady(services.get(i), children.get(i));
            }
        } catch (IllegalStateException e) {
            OUT.println("[suite] " + e.getMessage());
            return 1;
        }
        OUT.println();
        OUT.println("[suite] All services are ready. Press Ctrl-C to stop everything.");
        OUT.println("[suite]   gateway (the SPA's door)  http://localhost:8080   e.g. curl http://localhost:8080/q/health/ready");
        OUT.println("[suite]   auth-service              http://localhost:8081   OpenAPI: http://localhost:8081/q/openapi");
        OUT.println("[suite]   user-service              http://localhost:8082   OpenAPI: http://localhost:8082/q/openapi");
        OUT.printf("[suite]   PostgreSQL (TLS only)     localhost:%d   Redis 127.0.0.1:%d   secrets in %s%n%n",
                stack.postgres().port(), stack.redis().port(), stack.secrets().dir());
        for (int i = 0; i < children.size(); i++) {
            try {
                int exit = children.get(i).waitFor();
                if (stopping) {
                    return 0;
                }
                OUT.printf("[suite] %s exited with %d; stopping the suite.%n", services.get(i).name(), exit);
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

    private Process launch(Service service, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-XX:+UseSerialGC", "-Xmx256m", "-jar",
                service.jar().toString()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_PROFILE", "dev");
        try {
            Process process = builder.start();
            Thread pump = new Thread(() -> prefixLines(service.name(), process), service.name() + "-log");
            pump.setDaemon(true);
            pump.start();
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + service.name() + ": " + e.getMessage());
        }
    }

    private static void prefixLines(String name, Process process) {
        String prefix = String.format(Locale.ROOT, "[%-12s] ", name);
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                OUT.println(prefix + line);
            }
        } catch (IOException e) {
            // The process is gone; its exit is reported by the runner.
        }
    }

    private static void awaitReady(Service service, Process process) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.name() + " exited with " + process.exitValue()
                        + " before it was ready (see its log above).");
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    OUT.printf("[suite] %s is ready on port %d%n", service.name(), service.port());
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + service.name());
            }
            sleep(250);
        }
        throw new IllegalStateException(service.name() + " was not ready within " + READY_TIMEOUT.toSeconds() + " s.");
    }

    private synchronized void stopAll() {
        stopping = true;
        children.forEach(Process::destroy); // SIGTERM: Quarkus shuts down gracefully
        for (Process child : children) {
            try {
                if (!child.waitFor(20, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        }
        children.clear();
        if (stack != null) {
            stack.close();
            stack = null;
            OUT.println("[suite] Stopped the services, PostgreSQL and Redis.");
        }
    }

    /** SUITE_PG_PORT and friends: Quarkus maps them onto the suite.* keys the %dev profiles read. */
    static Map<String, String> environmentOf(Map<String, String> properties) {
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        properties.forEach((key, value) ->
                environment.put(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        return environment;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
