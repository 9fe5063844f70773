package dev.suite.auth.revocation;

import java.util.UUID;

/** What an admin revokes: exactly one of a token id, a session, or every session of a user. */
public record RevocationRequest(String tokenId, UUID sessionId, UUID userId) {
}
