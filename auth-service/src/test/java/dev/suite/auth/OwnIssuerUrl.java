package dev.suite.auth;

import java.util.Map;

import dev.suite.localstack.LocalStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The auth service under test listens on a free port chosen here, so that its issuer ({@code suite.auth.url}, as
 * under make run and in Kubernetes) is the URL it really answers on: a client given only the issuer finds the
 * discovery document, the JWKS and the introspection endpoint. A global test resource (AuthFlowTest names it):
 * every test of this module runs the service this way.
 */
public final class OwnIssuerUrl implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        int port = LocalStack.freePort();
        return Map.of("quarkus.http.test-port", String.valueOf(port), "suite.auth.url", "http://localhost:" + port);
    }

    @Override
    public void stop() {
        // Nothing runs here: it only chose a port.
    }
}
