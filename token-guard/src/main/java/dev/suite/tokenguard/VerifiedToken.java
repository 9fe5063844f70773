package dev.suite.tokenguard;

import java.time.Instant;
import java.util.Set;

/**
 * What a token proved: who (and their display name and email, when the token carries them), which session, which
 * groups, and until when; how and when its user signed in ({@code auth_time}, RFC 8176 {@code amr}: null and empty
 * when the token does not say), for step-up checks ({@link RecentSignIn}).
 */
public record VerifiedToken(String subject, String name, String email, String sessionId, String tokenId, String type, Set<String> groups,
        Instant issuedAt, Instant expiresAt, String rawToken, Instant authTime, Set<String> amr) {

    /** RFC 8176: more than one factor was used (our sign-in adds it with the second factor's own value, e.g. otp). */
    public static final String AMR_MULTI_FACTOR = "mfa";

    public VerifiedToken(String subject, String name, String email, String sessionId, String tokenId, String type, Set<String> groups,
            Instant issuedAt, Instant expiresAt, String rawToken) {
        this(subject, name, email, sessionId, tokenId, type, groups, issuedAt, expiresAt, rawToken, null, Set.of());
    }

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
