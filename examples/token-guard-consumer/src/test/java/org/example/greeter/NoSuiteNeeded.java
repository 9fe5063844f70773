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
        return Map.ofEntries(
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("quarkus.devservices.enabled", "false"),
                Map.entry("token-guard.issuer", "https://127.0.0.1:9"),
                Map.entry("token-guard.jwks-url", "https://127.0.0.1:9/.well-known/jwks.json"),
                // Never read: nothing here is fetched (a CA file is read when a connection is first made).
                Map.entry("token-guard.jwks.ca-file", "no-suite-ca.crt"),
                Map.entry("greeter.ca-file", "no-suite-ca.crt"),
                Map.entry("quarkus.redis.hosts", "redis://127.0.0.1:9"),
                Map.entry("quarkus.redis.password", "unused"),
                Map.entry("greeter.auth-url", "https://127.0.0.1:9"),
                Map.entry("greeter.user-service-url", "https://127.0.0.1:9"),
                Map.entry("greeter.client-secret", "unused"));
    }
}
