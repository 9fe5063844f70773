package dev.suite.gateway.session;

import dev.suite.gateway.cookies.SessionCookies;
import dev.suite.gateway.csrf.CsrfTokens;
import dev.suite.gateway.proxy.UnverifiedClaims;
import dev.suite.gateway.proxy.Upstream;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The browser's side of a session: tokens only ever travel in HTTP-only cookies towards the browser, and the
 * CSRF cookie always follows the session it belongs to (bound after login, pre-login otherwise).
 */
@ApplicationScoped
public class SessionAnswers {

    private final CsrfTokens csrfTokens;

    SessionAnswers(CsrfTokens csrfTokens) {
        this.csrfTokens = csrfTokens;
    }

    /**
     * Login and refresh answers: tokens into cookies, only the user and the access expiry to the SPA. Anything but a 200
     * opens no session and goes to the SPA as it is: a failure, or login's 202 with the challenge of the second step
     * (an account with a second factor), which holds no token and sets no cookie.
     */
    public void open(HttpResponse<Buffer> answer, HttpServerResponse response) {
        if (answer.statusCode() != 200) {
            if (answer.statusCode() == 401) {
                SessionCookies.clearSession(response);
            }
            Upstream.relay(answer, response);
            return;
        }
        IssuedTokens tokens = IssuedTokens.from(answer.bodyAsJsonObject());
        SessionCookies.setSession(response, tokens.accessToken(), tokens.refreshToken(), tokens.refreshExpiresAt());
        if (tokens.deviceToken() != null) {
            SessionCookies.setDevice(response, tokens.deviceToken(), tokens.deviceExpiresAt());
        }
        SessionCookies.setCsrf(response, csrfTokens.forSession(tokens.sessionId()), csrfTokens.lifetimeSeconds());
        json(response, new JsonObject().put(IssuedTokens.USER, tokens.user())
                .put(IssuedTokens.ACCESS_EXPIRES_AT, tokens.accessExpiresAt())
                .put(IssuedTokens.PASSWORD_CHANGE_REQUIRED, tokens.passwordChangeRequired()));
    }

    /** Logout, or the account gone: the session's cookies go, and a pre-login CSRF token replaces the session's. */
    public void end(HttpServerResponse response) {
        SessionCookies.clearSession(response);
        SessionCookies.setCsrf(response, csrfTokens.preLogin(), csrfTokens.lifetimeSeconds());
    }

    /**
     * GET /api/auth/csrf, answered here: a token bound to the caller's session when it has one, a pre-login token
     * otherwise. The access token is read unverified: it only picks the binding (see UnverifiedClaims).
     */
    public void csrfToken(HttpServerResponse response, String accessToken) {
        String sid = accessToken == null ? null : UnverifiedClaims.sessionId(accessToken);
        String token = sid == null ? csrfTokens.preLogin() : csrfTokens.forSession(sid);
        SessionCookies.setCsrf(response, token, csrfTokens.lifetimeSeconds());
        json(response, new JsonObject().put("token", token));
    }

    private static void json(HttpServerResponse response, JsonObject body) {
        response.setStatusCode(200).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
