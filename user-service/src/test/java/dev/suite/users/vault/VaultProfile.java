package dev.suite.users.vault;

import java.util.List;
import java.util.Map;

import dev.suite.fixtures.RealVault;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The service as Kubernetes runs it: config profile "vault" inherits every %prod line (quarkus.config.profile.parent),
 * against the local stack's real OpenBao ({@link RealVault}, role user-service, AppRole login) and the real auth service
 * (TestServices, suite.auth.url). Database leases last 10 s (renewable for a minute) and are renewed in their last 8 s
 * so a test can watch renewal happen; connections are recycled after 5 s.
 */
public class VaultProfile implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "vault";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // Connections live shorter than the grace period, as in production (30 min < 40 min): a connection is opened with
        // credentials that have at least the grace period left, so Vault never drops a user under a live connection.
        return Map.of("quarkus.config.profile.parent", "prod", "quarkus.vault.renew-grace-period", "PT8S",
                "quarkus.datasource.reactive.max-lifetime", "PT5S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        // The schema exists, as the migration Job leaves it in Kubernetes.
        return List.of(new TestResourceEntry(RealVault.class,
                Map.of("role", "user-service", "lease-seconds", "10", "lease-max-seconds", "60", "migrate-first", "users")));
    }

    /** Vault's KV secret lacks the client secret for the auth service. */
    public static class WithoutClientSecret extends VaultProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RealVault.class, Map.of("role", "user-service", "kv-omit", "client-secret")));
        }
    }
}
