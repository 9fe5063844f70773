package dev.suite.tokenguard;

import java.util.Map;

import dev.suite.problem.Problem;

/** Redis did not say whether a token is revoked: the request fails closed with 503, never open. */
public class RevocationUnavailableException extends Problem {

    public RevocationUnavailableException(String reason) {
        super(503, "Service Unavailable", "Token revocation cannot be checked right now; try again shortly.",
                Map.of("Retry-After", "1"));
        this.reason = reason;
    }

    private final String reason;

    /** What went wrong, for logs only. */
    public String reason() {
        return reason;
    }
}
