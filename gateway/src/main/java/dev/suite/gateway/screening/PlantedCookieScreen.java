package dev.suite.gateway.screening;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.suite.gateway.cookies.SessionCookies;
import dev.suite.problem.Problem;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Before anything under /api reads a cookie: a request carrying two cookies of a session name is refused (400). Vert.x
 * keeps only the first cookie of a name, from the first Cookie header only, and a planted cookie (sibling subdomain,
 * nameless "=__Host-x=" cookie, older browser) is often the one sent first. Several Cookie headers (HTTP/2 sends
 * cookies as separate fields) are joined into one, so what is checked is what Vert.x reads. Too many cookies are
 * refused before any is decoded.
 */
@ApplicationScoped
public class PlantedCookieScreen {

    /**
     * Counted on the raw text, before any cookie is decoded (here and again by Vert.x): the header size limit (20K)
     * alone lets thousands of tiny cookies through. A browser holds at most a few dozen for one site. Past this: 431.
     */
    static final int MAX_COOKIES = 100;

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 3).handler(this::screen);
    }

    private void screen(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.path().regionMatches(true, 0, "/api", 0, 4)) {
            ctx.next();
            return;
        }
        List<String> headers = request.headers().getAll("Cookie");
        if (headers.isEmpty()) {
            ctx.next();
            return;
        }
        String cookies = String.join("; ", headers);
        if (cookies.chars().filter(c -> c == ';').count() >= MAX_COOKIES) {
            Refusal.answer(ctx, new Problem(431, "Request Header Fields Too Large",
                    "Too many cookies; clear this site's cookies and sign in again."));
            return;
        }
        if (headers.size() > 1) {
            request.headers().set("Cookie", cookies);
        }
        Set<String> seen = new HashSet<>();
        boolean legacyRefresh = false;
        for (io.netty.handler.codec.http.cookie.Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(cookies)) {
            // Case-insensitive, as browsers now treat the __Host- prefix: __host-access planted next to __Host-access.
            String name = cookie.name().toLowerCase(Locale.ROOT);
            if (isSessionName(name) && !seen.add(name)) {
                Refusal.answer(ctx, Problem.badRequest("The request carries a session cookie twice; clear this site's cookies and sign in again."));
                return;
            }
            legacyRefresh |= cookie.name().equals(SessionCookies.LEGACY_REFRESH);
        }
        if (legacyRefresh) {
            SessionCookies.clearLegacyRefresh(ctx.response());
        }
        ctx.next();
    }

    private static boolean isSessionName(String lowerCaseName) {
        return SessionCookies.NAMES.stream().anyMatch(n -> n.equalsIgnoreCase(lowerCaseName));
    }
}
