package dev.suite.gateway;

import io.vertx.core.http.HttpMethod;

/**
 * The public API, as an explicit allowlist: anything else under /api is 404, so internal endpoints of the
 * services (/internal/**) can never be reached through the gateway.
 */
enum ApiRoute {
    CSRF(HttpMethod.GET, "/api/auth/csrf"),
    REGISTER(HttpMethod.POST, "/api/auth/register"),
    LOGIN(HttpMethod.POST, "/api/auth/login"),
    REFRESH(HttpMethod.POST, "/api/auth/refresh"),
    LOGOUT(HttpMethod.POST, "/api/auth/logout"),
    LOGOUT_ALL(HttpMethod.POST, "/api/auth/logout-all"),
    PASSWORD(HttpMethod.POST, "/api/auth/password"),
    ADMIN_REVOCATIONS(HttpMethod.POST, "/api/auth/admin/revocations"),
    JWKS(HttpMethod.GET, "/api/auth/jwks.json"),
    USERS(null, "/api/users/");

    final HttpMethod method;
    final String path;

    ApiRoute(HttpMethod method, String path) {
        this.method = method;
        this.path = path;
    }

    boolean isLoginOrRegister() {
        return this == LOGIN || this == REGISTER;
    }

    boolean throttledAsAuth() {
        return this == LOGIN || this == REGISTER || this == REFRESH;
    }

    static ApiRoute match(HttpMethod method, String path) {
        if (path.startsWith(USERS.path) && path.length() > USERS.path.length()) {
            return USERS;
        }
        for (ApiRoute route : values()) {
            if (route != USERS && route.path.equals(path)) {
                return route.method.equals(method) ? route : null;
            }
        }
        return null;
    }
}
