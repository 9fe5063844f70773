package dev.suite.auth.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** Without Vault the service does not start (the application's real main, %prod config): exit 1, the cause named. */
@QuarkusMainTest
@TestProfile(VaultProfile.Unreachable.class)
class VaultUnreachableTest {

    @Test
    void refusesToStartWhenVaultCannotBeReached(QuarkusMainLauncher launcher) {
        // A service that wrongly starts would run until stopped: bound the wait instead of hanging the build.
        LaunchResult result = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> launcher.launch());
        assertThat(result.exitCode()).isEqualTo(1);
        // quarkus-vault's own words: the KV read failed to connect, so the first secret the config needs is missing.
        assertThat(result.getOutput() + result.getErrorOutput()).contains("Configuration validation failed")
                .contains("java.net.ConnectException").contains("Could not expand value");
    }
}
