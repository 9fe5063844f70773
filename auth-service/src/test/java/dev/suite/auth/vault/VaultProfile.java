package dev.suite.auth.vault;

import java.util.List;
import java.util.Map;

import dev.suite.fixtures.RealVault;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The service as Kubernetes runs it: config profile "vault" inherits every %prod line (quarkus.config.profile.parent),
 * against the local stack's real OpenBao ({@link RealVault}, role auth-service, AppRole login). Only test speed-ups
 * are added: cheap bcrypt, and database leases of 10 s (at most 16 s) renewed in their last 8 s, with connections
 * recycled after 3 s (as in production, shorter than the grace period), so a test can watch renewal and replacement.
 * New credentials come once less than the grace period is left, so a connection of the old user may be opened up to
 * 8 s before Vault drops that user: its lifetime must end well before, also on a machine too busy to close it on time
 * (with 5 s, a loaded run saw 11 logins fail with "permission denied" on a connection that outlived its dropped user).
 */
public class VaultProfile implements QuarkusTestProfile {

    static final String LEASE_SECONDS = "10";
    static final String LEASE_MAX_SECONDS = "16";
    /** The registered greeter's secret (its audiences are in the overrides): every profile that reads Vault has it. */
    static final String GREETER_SECRET = "auth.client-credentials.clients.greeter.secret";

    @Override
    public String getConfigProfile() {
        return "vault";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.config.profile.parent", "prod",
                "auth.password.bcrypt-cost", "4",
                "quarkus.vault.renew-grace-period", "PT8S",
                "quarkus.datasource.reactive.max-lifetime", "PT3S",
                // Another team's client, registered as the README says: its audiences in the service's environment
                // (AUTH_CLIENT_CREDENTIALS_CLIENTS_GREETER_AUDIENCES in the Deployment), its secret in Vault (kv-add).
                "auth.client-credentials.clients.greeter.audiences", "user-service");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        // The schema exists, as the migration Job leaves it in Kubernetes.
        return List.of(new TestResourceEntry(RealVault.class, Map.of("role", "auth-service", "lease-seconds", LEASE_SECONDS,
                "lease-max-seconds", LEASE_MAX_SECONDS, "migrate-first", "auth", "kv-add", GREETER_SECRET)));
    }

    /** Production's lease lengths (setup.sh's 1 hour, renewed in the last 40 minutes); connections recycled every 5 s. */
    public static class HourLeases extends VaultProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.config.profile.parent", "prod", "auth.password.bcrypt-cost", "4",
                    "quarkus.datasource.reactive.max-lifetime", "PT5S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RealVault.class, Map.of("role", "auth-service", "migrate-first", "auth")));
        }
    }

    /** The Deployment names a first admin (AUTH_FIRST_ADMIN_EMAIL); its initial password is Vault's initial-admin-password. */
    public static class WithFirstAdmin extends VaultProfile {
        /** Once per address and the database is shared by the module's tests: an address of this JVM's own. */
        static final String EMAIL = "vault-admin-" + java.util.UUID.randomUUID() + "@example.com";

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.put("auth.first-admin.email", EMAIL);
            return overrides;
        }
    }

    /** Vault's KV secret lacks the pepper. */
    public static class WithoutPepper extends VaultProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RealVault.class, Map.of("role", "auth-service", "kv-omit", "pepper",
                    "kv-add", GREETER_SECRET)));
        }
    }

    /** Nothing answers at Vault's address. */
    public static class Unreachable extends VaultProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RealVault.class, Map.of("role", "auth-service", "unreachable", "true")));
        }
    }
}
