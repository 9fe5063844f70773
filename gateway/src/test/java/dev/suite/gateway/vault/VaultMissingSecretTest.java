package dev.suite.gateway.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.RealVault;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** A secret missing from Vault stops the start (the application's real main, %prod config): exit 1, the key named. */
@QuarkusMainTest
@TestProfile(VaultProfile.WithoutCsrfKey.class)
class VaultMissingSecretTest {

    @Test
    void refusesToStartAndNamesTheMissingKey(QuarkusMainLauncher launcher) {
        // A gateway that wrongly starts would run until stopped: bound the wait instead of hanging the build.
        LaunchResult result = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> launcher.launch());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutput() + result.getErrorOutput()).contains("Could not expand value csrf-key in property gateway.csrf-key");
        // Vault did answer: it is the key that is missing, not Vault.
        assertThat(RealVault.requests("gateway")).contains("read secret/data/suite/gateway -> ok");
    }
}
