package dev.suite.auth.login;

import io.vertx.core.http.HttpServerRequest;

/**
 * The client's IP as Quarkus resolved it: the peer, or the X-Forwarded-For of a trusted proxy (the gateway)
 * when quarkus.http.proxy.* says so. Never a header taken at face value.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
