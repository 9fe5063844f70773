package dev.suite.gateway.csrf;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import dev.suite.gateway.cookies.SessionCookies;
import dev.suite.gateway.proxy.UnverifiedClaims;
import dev.suite.problem.Problem;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The rules for an unsafe request that carries cookies: it comes from our own origin (Sec-Fetch-Site and
 * Origin, when the browser sends them), and its X-CSRF-Token equals the {@code __Host-csrf} cookie, was signed
 * by us, has not expired, and is bound to this session (or, before login, is a pre-login token).
 */
@ApplicationScoped
public class CsrfGuard {

    public static final String HEADER = "X-CSRF-Token";
    private static final Set<String> TRUSTED_FETCH_SITES = Set.of("same-origin", "none");

    private final CsrfTokens tokens;
    private final AllowedOrigins origins;

    CsrfGuard(CsrfTokens tokens, AllowedOrigins origins) {
        this.tokens = tokens;
        this.origins = origins;
    }

    /** The check below, for the requests that a route's rule covers. */
    public void check(CsrfRule rule, HttpServerRequest request) {
        if (rule.appliesTo(request)) {
            check(request);
        }
    }

    private void check(HttpServerRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !TRUSTED_FETCH_SITES.contains(fetchSite)) {
            throw forbidden();
        }
        if (!origins.allow(request)) {
            throw forbidden();
        }
        String header = request.getHeader(HEADER);
        Cookie cookie = request.getCookie(SessionCookies.CSRF);
        if (header == null || cookie == null
                || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), cookie.getValue().getBytes(StandardCharsets.UTF_8))) {
            throw forbidden();
        }
        CsrfTokens.Binding binding = tokens.verify(header);
        if (binding == null) {
            throw forbidden();
        }
        Cookie access = request.getCookie(SessionCookies.ACCESS);
        String sessionId = access == null ? null : UnverifiedClaims.sessionId(access.getValue());
        boolean bound = sessionId == null ? binding.preLogin() : sessionId.equals(binding.sessionId());
        if (!bound) {
            throw forbidden();
        }
    }

    private static Problem forbidden() {
        return new Problem(403, "Forbidden", "Missing or invalid CSRF token; fetch /api/auth/csrf and send it in " + HEADER + ".");
    }
}
