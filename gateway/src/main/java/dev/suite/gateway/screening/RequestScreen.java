package dev.suite.gateway.screening;

import java.util.Locale;

import dev.suite.gateway.csrf.AllowedOrigins;
import dev.suite.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Before any route or filter, for every raw path under /api: routes match the normalised path, so
 * /api/users/%2e%2e/%2e%2e/q/health would leave /api before the gateway looked at it; form bodies, which the API
 * never takes, would be decoded by the body handler (a GET with a form body was a 500 there): 415; and the CORS
 * filter would refuse a foreign Origin without a problem body.
 */
@ApplicationScoped
public class RequestScreen {

    private final AllowedOrigins origins;

    RequestScreen(AllowedOrigins origins) {
        this.origins = origins;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(this::screen);
    }

    private void screen(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.path().regionMatches(true, 0, "/api", 0, 4)) {
            ctx.next();
            return;
        }
        try {
            rejectTraversal(request.path());
            rejectFormBody(request);
            if (!origins.allow(request)) {
                throw new Problem(403, "Forbidden", "Requests from this origin are not allowed.");
            }
        } catch (Problem p) {
            Refusal.answer(ctx, p);
            return;
        }
        ctx.next();
    }

    /** Encoded dots, slashes or backslashes have no business in an API path: refuse before routing on it. */
    private static void rejectTraversal(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("..")
                || lower.contains("\\") || lower.contains("//")) {
            throw Problem.badRequest("Malformed path.");
        }
    }

    private static void rejectFormBody(HttpServerRequest request) {
        String type = request.getHeader("Content-Type");
        String lower = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/")) {
            if (hasBody(request)) {
                throw Problem.unsupportedMediaType();
            }
            // An empty POST with a form type (curl -d '', REST clients' default) is just an empty body.
            request.headers().remove("Content-Type");
        }
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return request.getHeader("Transfer-Encoding") != null || length != null && !"0".equals(length.strip());
    }
}
