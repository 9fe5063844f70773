package dev.suite.gateway.proxy;

import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeoutException;

import dev.suite.gateway.GatewayConfig;
import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Calls to the services behind the gateway, non-blocking, each with a timeout. Only an allowlist of headers
 * crosses in either direction: hop-by-hop headers, cookies and the client's own X-Forwarded-* never reach a
 * service; the gateway sets X-Forwarded-For/Proto/Host itself from what it saw.
 */
@ApplicationScoped
public class Upstream {

    // User-Agent: the auth service names a session's device after it in its owner's session list (never stored as sent).
    private static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Accept", "Accept-Language", "User-Agent");
    // Not Location: a service's Location names its internal host and its own paths, never a URL for the browser.
    // Allow: a 405 must name the methods (RFC 9110); the service's names them for /api/users/*, which the gateway's
    // table forwards whatever the method (Schemathesis found the 405 relayed without it).
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Retry-After", "WWW-Authenticate", "Allow");

    private final WebClient client;
    private final long timeoutMillis;

    Upstream(Vertx vertx, GatewayConfig config) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true)
                .setMaxPoolSize(config.upstreamConnections())
                .setVerifyHost(true).setTrustOptions(new PemTrustOptions().addCertPath(config.upstreamCaFile())));
        this.timeoutMillis = config.upstreamTimeout().toMillis();
    }

    public Uni<HttpResponse<Buffer>> call(HttpMethod method, String url, HttpServerRequest from, String bearer, Buffer body) {
        HttpRequest<Buffer> request = client.requestAbs(method, url).timeout(timeoutMillis);
        for (String name : REQUEST_HEADERS) {
            String value = from.getHeader(name);
            if (value != null) {
                request.putHeader(name, value);
            }
        }
        request.putHeader("X-Forwarded-For", from.remoteAddress().hostAddress());
        request.putHeader("X-Forwarded-Proto", from.scheme());
        request.putHeader("X-Forwarded-Host", String.valueOf(from.authority()));
        if (bearer != null) {
            request.bearerTokenAuthentication(bearer);
        }
        Uni<HttpResponse<Buffer>> response = body == null || body.length() == 0 ? request.send() : request.sendBuffer(body);
        return response.onFailure().transform(Upstream::unavailable);
    }

    /** A call whose JSON body the gateway built itself (the refresh token from its cookie). */
    public Uni<HttpResponse<Buffer>> callJson(HttpMethod method, String url, HttpServerRequest from, io.vertx.core.json.JsonObject body) {
        HttpRequest<Buffer> request = client.requestAbs(method, url).timeout(timeoutMillis)
                .putHeader("X-Forwarded-For", from.remoteAddress().hostAddress())
                .putHeader("X-Forwarded-Proto", from.scheme());
        return request.sendJsonObject(body).onFailure().transform(Upstream::unavailable);
    }

    /** Copies status, allowlisted headers and body of an upstream answer to the client. */
    public static void relay(HttpResponse<Buffer> upstream, HttpServerResponse response) {
        response.setStatusCode(upstream.statusCode());
        for (String name : RESPONSE_HEADERS) {
            String value = upstream.getHeader(name);
            if (value != null) {
                response.putHeader(name, value);
            }
        }
        Buffer body = upstream.body();
        if (body == null) {
            response.end();
        } else {
            response.end(body.getDelegate());
        }
    }

    private static Throwable unavailable(Throwable failure) {
        if (failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")) {
            return Problem.unavailable("A service behind the gateway did not answer in time; try again.");
        }
        if (failure instanceof ConnectException || failure.getCause() instanceof ConnectException) {
            // A service that is down (restarting, redeployed) is temporary: 503 + Retry-After, which clients retry.
            return Problem.unavailable("A service behind the gateway is unreachable; try again shortly.");
        }
        return new Problem(502, "Bad Gateway", "A service behind the gateway failed; try again shortly.");
    }
}
