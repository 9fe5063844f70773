package dev.suite.gateway.cookies;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;

/**
 * The session cookies of DESIGN.md, in one place. Tokens live only in HTTP-only cookies; the CSRF cookie is
 * readable by the SPA (it must echo it in X-CSRF-Token). The access cookie lives as long as the session
 * (the JWT inside expires sooner), so the session binding of CSRF tokens survives until refresh.
 * Every one is {@code __Host-} (Secure, Path=/, no Domain): a sibling subdomain cannot set or shadow it in a browser
 * that honours the prefix, and {@link dev.suite.gateway.screening.PlantedCookieScreen} refuses a request that carries one twice anyway.
 */
public final class SessionCookies {

    public static final String ACCESS = "__Host-access";
    public static final String REFRESH = "__Host-refresh";
    public static final String CSRF = "__Host-csrf";
    /** The device token of auth-service's throttle (a known device is counted on its own): no session cookie, it outlives logout. */
    public static final String DEVICE = "__Host-device";
    /** Every name the duplicate check covers. A new session cookie belongs here too. */
    public static final List<String> NAMES = List.of(ACCESS, REFRESH, CSRF, DEVICE);

    /** The refresh cookie's name and path before it became __Host-: never read, cleared where a browser still sends it. */
    public static final String LEGACY_REFRESH = "__Secure-refresh";
    private static final String LEGACY_REFRESH_PATH = "/api/auth";

    private SessionCookies() {
    }

    public static void setSession(HttpServerResponse response, String accessToken, String refreshToken, Instant sessionExpiresAt) {
        long maxAge = Math.max(0, Duration.between(Instant.now(), sessionExpiresAt).toSeconds());
        response.addCookie(httpOnly(ACCESS, accessToken, maxAge));
        response.addCookie(httpOnly(REFRESH, refreshToken, maxAge));
    }

    public static void setDevice(HttpServerResponse response, String deviceToken, Instant expiresAt) {
        long maxAge = Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
        response.addCookie(httpOnly(DEVICE, deviceToken, maxAge));
    }

    public static void clearSession(HttpServerResponse response) {
        response.addCookie(httpOnly(ACCESS, "", 0));
        response.addCookie(httpOnly(REFRESH, "", 0));
    }

    public static void setCsrf(HttpServerResponse response, String token, long maxAgeSeconds) {
        response.addCookie(Cookie.cookie(CSRF, token).setPath("/").setSecure(true).setHttpOnly(false)
                .setSameSite(CookieSameSite.STRICT).setMaxAge(maxAgeSeconds));
    }

    public static void clearLegacyRefresh(HttpServerResponse response) {
        response.addCookie(Cookie.cookie(LEGACY_REFRESH, "").setPath(LEGACY_REFRESH_PATH).setSecure(true).setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
    }

    /** __Host- requires Path=/ and no Domain: no other path is offered here. */
    private static Cookie httpOnly(String name, String value, long maxAge) {
        return Cookie.cookie(name, value).setPath("/").setSecure(true).setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setMaxAge(maxAge);
    }
}
