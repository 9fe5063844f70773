package dev.suite.gateway.cookies;

import java.time.Duration;
import java.time.Instant;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;

/**
 * The three cookies of DESIGN.md, in one place. Tokens live only in HTTP-only cookies; the CSRF cookie is
 * readable by the SPA (it must echo it in X-CSRF-Token). The access cookie lives as long as the session
 * (the JWT inside expires sooner), so the session binding of CSRF tokens survives until refresh.
 */
public final class SessionCookies {

    public static final String ACCESS = "__Host-access";
    public static final String REFRESH = "__Secure-refresh";
    public static final String CSRF = "__Host-csrf";
    /** The device token of auth-service's throttle: not a session cookie, so it outlives logout. */
    public static final String DEVICE = "__Host-device";
    public static final String REFRESH_PATH = "/api/auth";

    private SessionCookies() {
    }

    public static void setSession(HttpServerResponse response, String accessToken, String refreshToken, Instant sessionExpiresAt) {
        long maxAge = Math.max(0, Duration.between(Instant.now(), sessionExpiresAt).toSeconds());
        response.addCookie(httpOnly(ACCESS, accessToken, "/", maxAge));
        response.addCookie(httpOnly(REFRESH, refreshToken, REFRESH_PATH, maxAge));
    }

    public static void setDevice(HttpServerResponse response, String deviceToken, Instant expiresAt) {
        long maxAge = Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
        response.addCookie(httpOnly(DEVICE, deviceToken, "/", maxAge));
    }

    public static void clearSession(HttpServerResponse response) {
        response.addCookie(httpOnly(ACCESS, "", "/", 0));
        response.addCookie(httpOnly(REFRESH, "", REFRESH_PATH, 0));
    }

    public static void setCsrf(HttpServerResponse response, String token, long maxAgeSeconds) {
        response.addCookie(Cookie.cookie(CSRF, token).setPath("/").setSecure(true).setHttpOnly(false)
                .setSameSite(CookieSameSite.STRICT).setMaxAge(maxAgeSeconds));
    }

    private static Cookie httpOnly(String name, String value, String path, long maxAge) {
        return Cookie.cookie(name, value).setPath(path).setSecure(true).setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setMaxAge(maxAge);
    }
}
