package dev.suite.localstack;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Test resource for services that need the real auth service (tokens, JWKS, service tokens, account
 * deletion): the packaged auth-service jar on a free port against the shared stack. Provides
 * {@code suite.auth.url}. Stopped with the test JVM. Tests may stop and restart it to simulate an outage.
 */
public final class AuthServiceProcess implements QuarkusTestResourceLifecycleManager {

    private static ServiceProcess running;
    private static int port;

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = new java.util.HashMap<>(LocalStack.shared().properties());
        properties.put("suite.auth.url", startShared().url());
        return properties;
    }

    @Override
    public void stop() {
        // Lives as long as the JVM, like the stack.
    }

    public static synchronized ServiceProcess startShared() {
        if (running == null || !running.process().isAlive()) {
            if (port == 0) {
                port = LocalStack.freePort();
                Runtime.getRuntime().addShutdownHook(new Thread(AuthServiceProcess::stopShared, "auth-service-stop"));
            }
            // Cheapest bcrypt: these tests exercise other services, not password hashing.
            running = ServiceProcess.start("auth-service", port, LocalStack.shared().properties(),
                    Map.of("AUTH_PASSWORD_BCRYPT_COST", "4"), System.out).awaitReady();
        }
        return running;
    }

    public static synchronized void stopShared() {
        if (running != null) {
            running.close();
            running = null;
        }
    }
}
