package dev.suite.localstack;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Test resource for services that need the real auth service (tokens, JWKS, service tokens, account
 * deletion): the packaged auth-service jar on a free port against the shared stack. Provides
 * {@code suite.auth.url}. Add init arg {@code with-user-service=true} to also start the packaged
 * user-service jar ({@code suite.user.url}), as the gateway's tests do. Processes live as long as the test
 * JVM; tests may stop and restart them to simulate an outage.
 */
public final class AuthServiceProcess implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, ServiceProcess> RUNNING = new HashMap<>();
    private static final Map<String, Integer> PORTS = new HashMap<>();
    private static final Map<String, Integer> MANAGEMENT_PORTS = new HashMap<>();

    private boolean withUserService;

    @Override
    public void init(Map<String, String> initArgs) {
        withUserService = Boolean.parseBoolean(initArgs.getOrDefault("with-user-service", "false"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = new HashMap<>(LocalStack.shared().properties());
        properties.put("suite.auth.url", startShared().url());
        if (withUserService) {
            properties.put("suite.user.url", start("user-service").url());
        }
        return properties;
    }

    @Override
    public void stop() {
        // Lives as long as the JVM, like the stack.
    }

    public static ServiceProcess startShared() {
        return start("auth-service");
    }

    public static void stopShared() {
        stop("auth-service");
    }

    public static synchronized ServiceProcess start(String module) {
        ServiceProcess running = RUNNING.get(module);
        if (running != null && running.process().isAlive()) {
            return running;
        }
        if (PORTS.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(AuthServiceProcess::stopAll, "test-services-stop"));
        }
        int port = PORTS.computeIfAbsent(module, m -> LocalStack.freePort());
        int managementPort = MANAGEMENT_PORTS.computeIfAbsent(module, m -> LocalStack.freePort());
        Map<String, String> extra = new HashMap<>();
        extra.put("AUTH_PASSWORD_BCRYPT_COST", "4"); // these tests exercise other things than hashing cost
        if (PORTS.containsKey("auth-service")) {
            extra.put("SUITE_AUTH_URL", "http://localhost:" + PORTS.get("auth-service"));
        }
        running = ServiceProcess.start(module, port, managementPort, LocalStack.shared().properties(), extra, System.out).awaitReady();
        RUNNING.put(module, running);
        return running;
    }

    public static synchronized void stop(String module) {
        ServiceProcess running = RUNNING.remove(module);
        if (running != null) {
            running.close();
        }
    }

    private static synchronized void stopAll() {
        RUNNING.values().forEach(ServiceProcess::close);
        RUNNING.clear();
    }
}
