package dev.suite.auth.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.RealVault;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * The migration Job (profile "migrate", as deploy/k8s runs it): migrates as auth_owner with credentials from
 * secret/suite/migrations/auth and exits 0, asking Vault for nothing else: no service secret, no database lease.
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
            return List.of(new TestResourceEntry(RealVault.class, Map.of("role", "auth-migrations")));
        }
    }

    @Test
    @Launch(exitCode = 0)
    void migratesAsTheOwnerThenExitsZero(LaunchResult result) {
        assertThat(result.getOutput()).contains("Successfully validated").contains("schema \"auth\"");
        // Vault's audit log: the auth-migrations role logged in and read its own path, nothing else (its policy grants
        // nothing else: any other read would have been refused and failed the start).
        assertThat(RealVault.requests("auth-migrations")).containsExactly(
                "update auth/approle/login -> ok", "read secret/data/suite/migrations/auth -> ok");
    }
}
