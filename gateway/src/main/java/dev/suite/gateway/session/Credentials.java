package dev.suite.gateway.session;

import dev.suite.gateway.cookies.SessionCookies;
import dev.suite.problem.Problem;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one kind of credential a request carries: the session cookies (a browser) or a bearer token (any other client),
 * never both, so that a request is never judged by one credential and served with the other.
 *
 * @param token the access token from its cookie or from {@code Authorization: Bearer}; null when there is none
 * @param refreshToken the refresh token from its cookie; null when there is none
 */
public record Credentials(String token, String refreshToken) {

    private static final String BEARER = "Bearer ";

    public static Credentials of(HttpServerRequest request) {
        Cookie access = request.getCookie(SessionCookies.ACCESS);
        Cookie refresh = request.getCookie(SessionCookies.REFRESH);
        String authorization = request.getHeader("Authorization");
        if (authorization != null && (access != null || refresh != null)) {
            throw Problem.badRequest("Send either the session cookies or a bearer token, not both.");
        }
        return new Credentials(access != null ? access.getValue() : bearerOf(authorization),
                refresh == null ? null : refresh.getValue());
    }

    /** The refresh token, for the one route that spends it. */
    public String requireRefreshToken() {
        if (refreshToken == null) {
            throw Problem.unauthorized("No session to refresh.");
        }
        return refreshToken;
    }

    /**
     * Here, not token-guard's: its parsing is private to its authentication mechanism, and the gateway answers a
     * non-bearer Authorization header at once (401) instead of passing an empty token on.
     */
    private static String bearerOf(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw Problem.unauthorized("Only bearer tokens are accepted.");
        }
        return authorization.substring(BEARER.length()).strip();
    }

    @Override
    public String toString() {
        // Never print the tokens.
        return "Credentials[token=" + (token != null) + ", refreshToken=" + (refreshToken != null) + "]";
    }
}
