package dev.suite.gateway.screening;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.suite.problem.Problem;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * HTTP features the gateway never needs, refused on both ports and every path (API, SPA files, health) before any
 * other route: a proxy in front may pass them through, and each is a known way past it. Protocol upgrades (WebSocket:
 * a tunnel the proxy no longer inspects; an h2c offer is declined instead), framing other than Content-Length or a
 * single chunked coding (request smuggling), methods and request targets only proxies use, and a missing or repeated
 * Host (which host was meant?).
 * Clear-text HTTP/2 itself is switched off in {@link NoClearTextHttp2}; Netty refuses some of these (both
 * Content-Length and Transfer-Encoding) with a bare 400 before this screen sees them.
 */
@ApplicationScoped
public class ProtocolScreen {

    private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);
    private static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    /**
     * Right after Quarkus's security-header filter (order MIN_VALUE), so refusals carry those headers too, and before the
     * redirect to HTTPS (same order, registered after this: the observer's priority), so that the redirect never
     * builds its Location from an absolute target or a second Host.
     */
    void register(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(ProtocolScreen::screen);
        // Vert.x Web fails an HTTP/1.1 request without Host before any handler runs: answer that one here too.
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(ctx -> {
            Problem refusal = refusal(ctx.request());
            if (refusal == null) {
                ctx.next();
            } else {
                Refusal.send(ctx, refusal);
            }
        });
    }

    private static void screen(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Problem refusal = refusal(request);
        if (refusal != null) {
            Refusal.send(ctx, refusal);
            return;
        }
        if (offersH2c(request)) {
            // Declined, as RFC 9110 allows: answered over HTTP/1.1 (Java's HttpClient offers h2c by default, so a
            // refusal would break ordinary clients and probes), and the connection closed after it, so a proxy that
            // took the offer for a switch has no tunnel left to the gateway.
            ctx.response().putHeader("Connection", "close");
            ctx.addEndHandler(sent -> request.connection().close());
        }
        ctx.next();
    }

    private static boolean offersH2c(HttpServerRequest request) {
        String upgrade = request.headers().get("Upgrade");
        return upgrade != null && "h2c".equalsIgnoreCase(upgrade.strip()) && request.headers().getAll("Upgrade").size() == 1;
    }

    /** Why this request is refused, or null when it uses nothing the gateway does not offer. */
    static Problem refusal(HttpServerRequest request) {
        if (!METHODS.contains(request.method())) {
            return Problem.methodNotAllowed(ALLOW);
        }
        // Origin-form only: an absolute target names a host of its own, next to (and perhaps unlike) the Host header.
        if (!request.uri().startsWith("/")) {
            return Problem.badRequest("The request target must be a path.");
        }
        if (request.version() == HttpVersion.HTTP_2) {
            // Netty's HTTP/2 decoder already rejects Upgrade, Transfer-Encoding and other connection-specific fields.
            // Not checked: a host field next to :authority (HTTP/2 clients send :authority only).
            return null;
        }
        if (request.headers().contains("Upgrade") && !offersH2c(request)) {
            return Problem.badRequest("Protocol upgrades (WebSocket and others) are not offered.");
        }
        List<String> hosts = request.headers().getAll("Host");
        if (hosts.size() > 1 || hosts.isEmpty() && request.version() == HttpVersion.HTTP_1_1) {
            return Problem.badRequest("Send exactly one Host header.");
        }
        List<String> codings = request.headers().getAll("Transfer-Encoding");
        if (!codings.isEmpty() && (codings.size() > 1 || !"chunked".equals(codings.get(0).strip().toLowerCase(Locale.ROOT))
                || request.headers().contains("Content-Length"))) {
            return Problem.badRequest("Transfer-Encoding may only be a single 'chunked', and never next to Content-Length.");
        }
        return null;
    }
}
