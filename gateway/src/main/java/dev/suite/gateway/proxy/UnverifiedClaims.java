package dev.suite.gateway.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.vertx.core.json.JsonObject;

/**
 * Reads the session id out of an access token WITHOUT checking it, for one purpose only: matching a CSRF
 * token's binding. That is safe because the CSRF token itself is signed and the cookie cannot be set by
 * another site; anything that grants access goes through token-guard.
 */
public final class UnverifiedClaims {

    private UnverifiedClaims() {
    }

    public static String sessionId(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            if (parts.length != 3 || parts[1].length() > 4096) {
                return null;
            }
            JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            Object sid = claims.getValue("sid");
            // Only a session id as the auth service issues them, a UUID: the binding goes into a cookie, and a made-up
            // one with a character no header may carry made the answer fail after it had begun (GET /api/auth/csrf
            // then never answered: GatewayFuzzTest, a one-character change of a real token).
            return sid instanceof String s && s.equals(canonicalUuid(s)) ? s : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String canonicalUuid(String text) {
        try {
            return java.util.UUID.fromString(text).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
