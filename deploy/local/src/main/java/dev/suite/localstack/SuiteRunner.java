package dev.suite.localstack;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code make run}: the embedded stack plus the three services as child processes with prefixed logs.
 * Waits until every service is ready, prints where to point a browser or curl, and on Ctrl-C or SIGTERM
 * stops the services, then the servers, leaving nothing behind.
 */
public final class SuiteRunner {

    private static final PrintStream OUT = System.out;

    /**
     * make run's topology: each service's API port and management port (health, metrics, OpenAPI), in start order.
     * The same ports as each module's %dev profile, so a jar started by hand lands where this runner puts it.
     */
    public static final List<Service> SERVICES = List.of(
            new Service("auth-service", 8081, 9081),
            new Service("user-service", 8082, 9082),
            new Service("gateway", 8080, 9080));

    /** One service of make run: its module, API port and management port. */
    public record Service(String module, int port, int managementPort) {

        public String url() {
            return "http://localhost:" + port;
        }

        public String managementUrl() {
            return "http://localhost:" + managementPort;
        }
    }

    private final List<ServiceProcess> children = new ArrayList<>();
    private volatile boolean stopping;
    private LocalStack stack;

    public static void main(String[] args) {
        SuiteRunner runner = new SuiteRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(runner::stopAll, "suite-stop"));
        System.exit(runner.run());
    }

    private int run() {
        try {
            stack = LocalStack.startNew();
            Map<String, String> properties = stack.properties();
            Map<String, String> urls = Map.of("SUITE_AUTH_URL", service("auth-service").url(),
                    "SUITE_USER_URL", service("user-service").url());
            SERVICES.forEach(s -> children.add(ServiceProcess.start(s.module(), s.port(), s.managementPort(), properties, urls, OUT)));
            for (ServiceProcess child : children) {
                child.awaitReady();
                OUT.printf("[suite] %s is ready on port %d (management %d)%n", child.name(), child.port(), child.managementPort());
            }
        } catch (IllegalStateException e) {
            OUT.println("[suite] " + e.getMessage());
            return 1;
        }
        OUT.println();
        OUT.println("[suite] All services are ready. Press Ctrl-C to stop everything.");
        OUT.printf("[suite]   gateway (the SPA's door)  https://localhost:8443  (%s redirects)%n", service("gateway").url());
        OUT.printf("[suite]   auth-service              %s%n", service("auth-service").url());
        OUT.printf("[suite]   user-service              %s%n", service("user-service").url());
        OUT.println("[suite]   health/metrics/OpenAPI, on management ports only (never on the ports above):");
        for (Service service : SERVICES) {
            OUT.printf("[suite]     %-12s  %s/q/health  /q/metrics  /q/openapi%n", service.module(), service.managementUrl());
        }
        OUT.printf("[suite]   PostgreSQL (TLS only)     localhost:%d   Redis 127.0.0.1:%d   secrets in %s%n%n",
                stack.postgres().port(), stack.redis().port(), stack.secrets().dir());
        for (ServiceProcess child : children) {
            try {
                int exit = child.process().waitFor();
                if (stopping) {
                    return 0;
                }
                OUT.printf("[suite] %s exited with %d; stopping the suite.%n", child.name(), exit);
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

    static Service service(String module) {
        return SERVICES.stream().filter(s -> s.module().equals(module)).findFirst().orElseThrow();
    }

    private synchronized void stopAll() {
        stopping = true;
        children.forEach(child -> child.process().destroy()); // SIGTERM to all first: they stop in parallel
        children.forEach(ServiceProcess::close);
        children.clear();
        if (stack != null) {
            stack.close();
            stack = null;
            OUT.println("[suite] Stopped the services, PostgreSQL and Redis.");
        }
    }
}
