package dev.suite.tokenguard;

import java.util.Map;

import dev.suite.problem.Problem;

/**
 * A token signed with a key this verifier does not hold, while the key set cannot be fetched: nobody can tell a new
 * key from a withdrawn one, so the request fails closed with 503 (an outage, retried), never 401 (a verdict on the
 * token, which signs a browser out).
 */
public class KeysUnavailableException extends Problem {

    private final String reason;

    public KeysUnavailableException(String reason) {
        super(503, "Service Unavailable", "Tokens cannot be checked right now; try again shortly.", Map.of("Retry-After", "1"));
        this.reason = reason;
    }

    /** What went wrong, for logs only. */
    public String reason() {
        return reason;
    }
}
