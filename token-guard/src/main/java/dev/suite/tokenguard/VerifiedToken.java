package dev.suite.tokenguard;

import java.time.Instant;
import java.util.Set;

/**
 * What a token proved: who (and their display name and email, when the token carries them), which session, which
 * groups, and until when.
 */
public record VerifiedToken(String subject, String name, String email, String sessionId, String tokenId, String type, Set<String> groups,
        Instant issuedAt, Instant expiresAt, String rawToken) {

    public static final String USER_ACCESS = "at+jwt";
    public static final String SERVICE = "svc+jwt";

    public boolean isServiceToken() {
        return SERVICE.equals(type);
    }

    @Override
    public String toString() {
        // Never the token itself: records print their fields, and this one ends up in logs.
        return "VerifiedToken[sub=" + subject + ", sid=" + sessionId + ", jti=" + tokenId + ", typ=" + type + "]";
    }
}
