package dev.suite.gateway.routing;

import java.util.function.Function;

import dev.suite.gateway.GatewayConfig;

/** Where a route is served. */
public enum Service {
    /** By the gateway itself: nothing is forwarded. */
    GATEWAY(null, false),
    /** auth-service: the gateway's auth routes are fixed endpoints, so no query string is passed on. */
    AUTH_SERVICE(GatewayConfig::authUrl, false),
    /** auth-service's admin searches (accounts, audit trail): their filters and paging are the query string, passed on. */
    AUTH_SERVICE_WITH_QUERY(GatewayConfig::authUrl, true),
    /** user-service: everything under /api/users/, query string included, goes on as sent. */
    USER_SERVICE(GatewayConfig::userUrl, true);

    private final Function<GatewayConfig, String> baseUrl;
    private final boolean takesQuery;

    Service(Function<GatewayConfig, String> baseUrl, boolean takesQuery) {
        this.baseUrl = baseUrl;
        this.takesQuery = takesQuery;
    }

    String baseUrl(GatewayConfig config) {
        return baseUrl.apply(config);
    }

    boolean takesQuery() {
        return takesQuery;
    }
}
