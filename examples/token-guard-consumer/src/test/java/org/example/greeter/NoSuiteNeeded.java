package org.example.greeter;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The greeter without the suite: these tests reach neither the auth service, the user service nor Redis (a token
 * that is not even a JWT is refused before any of them is asked), so every address is one where nothing listens.
 */
public class NoSuiteNeeded implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.http.test-port", "0",
                "quarkus.devservices.enabled", "false",
                "token-guard.issuer", "http://127.0.0.1:9",
                "token-guard.jwks-url", "http://127.0.0.1:9/.well-known/jwks.json",
                "quarkus.redis.hosts", "redis://127.0.0.1:9",
                "quarkus.redis.password", "unused",
                "greeter.auth-url", "http://127.0.0.1:9",
                "greeter.user-service-url", "http://127.0.0.1:9",
                "greeter.client-secret", "unused");
    }
}
