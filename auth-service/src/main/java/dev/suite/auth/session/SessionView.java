package dev.suite.auth.session;

import java.time.Instant;
import java.util.UUID;

/**
 * One live session as its owner sees it in their list: when it began and was last used (sign-in or refresh), the
 * device label and the network it was last used from (approximate: a /24 or /48), and whether it is the one asking.
 * Nothing that could act for the session (no token, no refresh token hash).
 */
public record SessionView(UUID id, Instant createdAt, Instant lastUsedAt, String device, String network, boolean current) {

    static SessionView of(AuthSession session, UUID current) {
        return new SessionView(session.id, session.createdAt, session.lastUsedAt,
                session.device == null ? "Unknown browser" : session.device,
                session.clientNetwork == null ? "unknown" : session.clientNetwork, session.id.equals(current));
    }
}
