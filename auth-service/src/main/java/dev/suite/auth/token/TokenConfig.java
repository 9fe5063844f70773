package dev.suite.auth.token;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "auth.token")
public interface TokenConfig {

    /** Lifetime of an access token; at most token-guard.max-token-lifetime. */
    @WithDefault("PT10M")
    Duration accessLifetime();
}
