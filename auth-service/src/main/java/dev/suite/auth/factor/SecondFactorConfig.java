package dev.suite.auth.factor;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "auth.second-factor")
public interface SecondFactorConfig {

    /** How long the challenge between a right password and the second step lives. */
    @WithDefault("PT5M")
    Duration challengeLifetime();

    /** Step-up: how recent a sign-in (with the second factor, when the account has one) a sensitive action needs. */
    @WithDefault("PT10M")
    Duration stepUpWindow();

    /** The issuer an authenticator app shows beside the code. */
    @WithDefault("Secure suite")
    String issuerName();

    @WithDefault("10")
    int recoveryCodes();

    @WithDefault("PT0.5S")
    Duration redisTimeout();
}
