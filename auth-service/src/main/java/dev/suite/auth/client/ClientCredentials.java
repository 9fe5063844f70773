package dev.suite.auth.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A client's id and secret as OAuth 2.0 clients send them (RFC 6749 2.3.1): {@code client_secret_basic}, the
 * Authorization header {@code Basic base64(urlencode(id):urlencode(secret))}, or {@code client_secret_post}, the
 * form fields {@code client_id} and {@code client_secret}. One method per request: both, or a broken header, is none.
 */
public record ClientCredentials(String clientId, String secret) {

    private static final String BASIC = "basic ";

    public static Optional<ClientCredentials> of(String authorization, String formClientId, String formSecret) {
        boolean basic = authorization != null && authorization.regionMatches(true, 0, BASIC, 0, BASIC.length());
        boolean post = formClientId != null || formSecret != null;
        if (basic == post) {
            return Optional.empty();
        }
        if (post) {
            return formClientId == null || formSecret == null ? Optional.empty() : Optional.of(new ClientCredentials(formClientId, formSecret));
        }
        try {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).strip()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new ClientCredentials(URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not Base64, or a broken %-escape
        }
    }

    @Override
    public String toString() {
        // Never the secret: records print their fields.
        return "ClientCredentials[clientId=" + clientId + "]";
    }
}
