package dev.suite.auth.factor;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Passkeys (WebAuthn): who the relying party is, and the bounds of a ceremony. */
@ConfigMapping(prefix = "auth.passkeys")
public interface PasskeyConfig {

    /**
     * The origins a browser may run a ceremony from: the gateway's public origin, where the SPA is served (make run:
     * https://localhost:8443, and the Vite dev server's; Kubernetes: SUITE_PUBLIC_ORIGINS). A response signed for any
     * other origin is refused.
     */
    List<String> origins();

    /** The relying party id; by default the first origin's host (a registrable suffix of it may be set instead). */
    Optional<String> rpId();

    /** The name an authenticator shows beside the account. */
    @WithDefault("Secure suite")
    String rpName();

    /** How long the browser has for a ceremony (the challenge's life, and the timeout the options ask for). */
    @WithDefault("PT5M")
    Duration ceremonyTimeout();

    /** How many passkeys one account may hold. */
    @WithDefault("10")
    int maxPerAccount();

    default String relyingPartyId() {
        return rpId().orElseGet(() -> URI.create(origins().get(0)).getHost());
    }
}
