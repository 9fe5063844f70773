package dev.suite.auth.session;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "auth.session")
public interface SessionConfig {

    /** A session ends this long after login, however active. */
    @WithDefault("P30D")
    Duration absoluteLifetime();

    /** A session ends when no refresh happened for this long. */
    @WithDefault("P7D")
    Duration idleLifetime();

    /**
     * A second use of the same refresh token within this window, while its successor is unused, is the two-tab
     * race, not theft: it gets a working session too, in the same family.
     */
    @WithDefault("PT5S")
    Duration reuseGrace();
}
