package dev.suite.gateway.csrf;

import java.util.Set;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/** When a route's unsafe requests (POST, PUT, PATCH, DELETE) must pass {@link CsrfGuard}; safe ones never do. */
public enum CsrfRule {
    /**
     * Even without cookies: a cross-site form carries no SameSite cookies, yet must not log the victim into the
     * attacker's account (login CSRF). For login and register.
     */
    ALWAYS,
    /** When the request carries cookies: a bearer-only client has nothing a forged request could borrow. */
    WITH_COOKIES,
    NEVER;

    private static final Set<HttpMethod> UNSAFE = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    public boolean appliesTo(HttpServerRequest request) {
        if (this == NEVER || !UNSAFE.contains(request.method())) {
            return false;
        }
        return this == ALWAYS || request.getHeader("Cookie") != null;
    }
}
