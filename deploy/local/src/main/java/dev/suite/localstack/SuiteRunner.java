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

    /** Module and port of each service, in start order. */
    static final Map<String, Integer> SERVICES = new java.util.LinkedHashMap<>();

    static {
        SERVICES.put("auth-service", 8081);
        SERVICES.put("user-service", 8082);
        SERVICES.put("gateway", 8080);
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
            Map<String, String> urls = Map.of("SUITE_AUTH_URL", "http://localhost:8081", "SUITE_USER_URL", "http://localhost:8082");
            SERVICES.forEach((module, port) -> children.add(ServiceProcess.start(module, port, properties, urls, OUT)));
            for (ServiceProcess child : children) {
                child.awaitReady();
                OUT.printf("[suite] %s is ready on port %d%n", child.name(), child.port());
            }
        } catch (IllegalStateException e) {
            OUT.println("[suite] " + e.getMessage());
            return 1;
        }
        OUT.println();
        OUT.println("[suite] All services are ready. Press Ctrl-C to stop everything.");
        OUT.println("[suite]   gateway (the SPA's door)  https://localhost:8443  (http://localhost:8080 redirects; /q/health stays on HTTP)");
        OUT.println("[suite]   auth-service              http://localhost:8081   OpenAPI: http://localhost:8081/q/openapi");
        OUT.println("[suite]   user-service              http://localhost:8082   OpenAPI: http://localhost:8082/q/openapi");
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
