package dev.suite.gateway.vault;

import java.util.List;
import java.util.Map;

import dev.suite.fixtures.RealVault;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The gateway as Kubernetes runs it: config profile "vault" inherits every %prod line (quarkus.config.profile.parent),
 * against the local stack's real OpenBao ({@link RealVault}, role gateway, AppRole login), the real auth and user services, and the suite-config settings a pod gets from the
 * ConfigMap: the SPA's origin and the ingress controller's address (here the test itself, on 127.0.0.1). A low auth
 * rate limit lets a test reach it quickly.
 */
public class VaultProfile implements QuarkusTestProfile {

    static final String SPA_ORIGIN = "https://suite.example.test";
    static final int AUTH_PER_WINDOW = 3;

    @Override
    public String getConfigProfile() {
        return "vault";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.config.profile.parent", "prod",
                "suite.public-origins", SPA_ORIGIN,
                "suite.ingress.proxies", "127.0.0.1",
                "gateway.rate-limits.auth-per-window", String.valueOf(AUTH_PER_WINDOW));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RealVault.class, Map.of("role", "gateway")));
    }

    /** Vault's KV secret lacks the CSRF key. */
    public static class WithoutCsrfKey extends VaultProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RealVault.class, Map.of("role", "gateway", "kv-omit", "csrf-key")));
        }
    }
}
