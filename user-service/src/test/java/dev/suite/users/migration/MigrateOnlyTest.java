package dev.suite.users.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.VaultStub;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * The migration Job (profile "migrate", as deploy/k8s runs it): migrates as users_owner with credentials from
 * secret/suite/migrations/users and exits 0, asking Vault for nothing else: no service secret, no database lease.
 */
@QuarkusMainTest
@TestProfile(MigrateOnlyTest.MigrateProfile.class)
class MigrateOnlyTest {

    public static class MigrateProfile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "migrate";
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(VaultStub.class, Map.of()));
        }
    }

    @Test
    @Launch(exitCode = 0)
    void migratesAsTheOwnerThenExitsZero(LaunchResult result) {
        assertThat(result.getOutput()).contains("Successfully validated").contains("schema \"users\"");
        // The stub answers the users-migrations token only what that policy grants: anything else would have failed the start.
        assertThat(System.getProperty(VaultStub.REQUESTS).lines()).containsExactly(
                "POST /v1/auth/kubernetes/login -> 200", "GET /v1/secret/data/suite/migrations/users -> 200");
    }
}
