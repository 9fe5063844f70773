package dev.suite.auth.vault;

import java.util.List;
import java.util.Map;

import dev.suite.fixtures.VaultStub;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The service as Kubernetes runs it: config profile "vault" inherits every %prod line (quarkus.config.profile.parent),
 * with Vault at {@link VaultStub}. Only test speed-ups are added: cheap bcrypt, and database leases of 10 s renewed
 * in their last 8 s so a test can watch renewal and re-creation happen.
 */
public class VaultProfile implements QuarkusTestProfile {

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
                // Another team's client, registered as the README says: its audiences in the service's environment
                // (AUTH_CLIENT_CREDENTIALS_CLIENTS_GREETER_AUDIENCES in the Deployment), its secret in Vault (VaultStub).
                "auth.client-credentials.clients.greeter.audiences", "user-service");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        // The schema exists, as the migration Job leaves it in Kubernetes.
        return List.of(new TestResourceEntry(VaultStub.class, Map.of("lease-seconds", "10", "migrate-first", "auth")));
    }

    /** Vault's KV secret lacks the pepper. */
    public static class WithoutPepper extends VaultProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(VaultStub.class, Map.of("kv-omit", "pepper")));
        }
    }

    /** Nothing answers at Vault's address. */
    public static class Unreachable extends VaultProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(VaultStub.class, Map.of("unreachable", "true")));
        }
    }
}
