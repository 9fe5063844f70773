package dev.suite.auth.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.fixtures.RealVault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The first admin in %prod: the address from the environment (as a Deployment sets AUTH_FIRST_ADMIN_EMAIL), the initial
 * password from the real OpenBao (key initial-admin-password of secret/suite/auth-service, {@link RealVault}), made at
 * start with no SQL and no manual step; the first sign-in must choose a new password.
 */
@QuarkusTest
@TestProfile(VaultProfile.WithFirstAdmin.class)
class VaultFirstAdminTest {

    @ConfigProperty(name = "initial-admin-password")
    String fromVault;

    @Test
    void theAdminNamedInTheEnvironmentSignsInWithVaultsInitialPasswordAndMustChangeIt() {
        assertThat(fromVault).as("Vault's initial-admin-password").isNotBlank();
        assertThat(RealVault.requests("auth-service")).contains("read secret/data/suite/auth-service -> ok");
        AuthClient.login(VaultProfile.WithFirstAdmin.EMAIL, fromVault).then().statusCode(200)
                .body("passwordChangeRequired", equalTo(true)).body("user.groups", org.hamcrest.Matchers.hasItem("admin"));
        // Made once: the initial password still opens it (nobody changed it), and only for the password change.
        AuthClient.login(VaultProfile.WithFirstAdmin.EMAIL, fromVault).then().statusCode(200).body("passwordChangeRequired", equalTo(true));
    }
}
