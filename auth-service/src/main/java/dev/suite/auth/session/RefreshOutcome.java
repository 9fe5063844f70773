package dev.suite.auth.session;

import java.util.UUID;

/**
 * What presenting a refresh token led to. A reuse is an outcome, not a failure: the revocation of the session it
 * causes must commit, which a failure would roll back.
 */
public sealed interface RefreshOutcome permits RefreshOutcome.Rotated, RefreshOutcome.FamilyRevoked {

    /** New tokens: a rotation, or the same successor again within the two-tab grace window. */
    record Rotated(IssuedTokens tokens) implements RefreshOutcome {
    }

    /** The token was used again after its grace window (or after its successor): the whole session is revoked. */
    record FamilyRevoked(UUID sessionId) implements RefreshOutcome {
    }
}
