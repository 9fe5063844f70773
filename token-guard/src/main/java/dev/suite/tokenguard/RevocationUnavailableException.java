package dev.suite.tokenguard;

import java.util.Map;

import dev.suite.problem.Problem;

/**
 * Redis did not say whether a token is revoked, or did not record a revocation durably: the request fails closed with
 * 503, never open.
 */
public class RevocationUnavailableException extends Problem {

    public RevocationUnavailableException(String reason) {
        this("Token revocation cannot be checked right now; try again shortly.", reason);
    }

    private RevocationUnavailableException(String detail, String reason) {
        super(503, "Service Unavailable", detail, Map.of("Retry-After", "1"));
        this.reason = reason;
    }

    /** A revocation that could not be made durable (written, or held by enough replicas) in time: not acknowledged. */
    public static RevocationUnavailableException notRecorded(String reason) {
        return new RevocationUnavailableException("The revocation could not be recorded safely right now; try again shortly.", reason);
    }

    private final String reason;

    /** What went wrong, for logs only. */
    public String reason() {
        return reason;
    }
}
