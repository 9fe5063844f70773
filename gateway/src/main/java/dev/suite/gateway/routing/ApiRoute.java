package dev.suite.gateway.routing;

import static dev.suite.gateway.csrf.CsrfRule.ALWAYS;
import static dev.suite.gateway.csrf.CsrfRule.NEVER;
import static dev.suite.gateway.csrf.CsrfRule.WITH_COOKIES;
import static dev.suite.gateway.ratelimit.Throttle.AUTH;
import static dev.suite.gateway.ratelimit.Throttle.GENERAL;
import static dev.suite.gateway.routing.ApiRoute.Answer.CSRF_TOKEN;
import static dev.suite.gateway.routing.ApiRoute.Answer.END_SESSION;
import static dev.suite.gateway.routing.ApiRoute.Answer.END_SESSION_IF_DELETED;
import static dev.suite.gateway.routing.ApiRoute.Answer.OPEN_SESSION;
import static dev.suite.gateway.routing.ApiRoute.Answer.RELAY;
import static dev.suite.gateway.routing.ApiRoute.Body.AS_SENT;
import static dev.suite.gateway.routing.ApiRoute.Body.NO_BODY;
import static dev.suite.gateway.routing.ApiRoute.Body.REFRESH_TOKEN;
import static dev.suite.gateway.routing.ApiRoute.Body.WITH_DEVICE_TOKEN;
import static dev.suite.gateway.routing.ApiRoute.Caller.ANYONE;
import static dev.suite.gateway.routing.ApiRoute.Caller.SIGNED_IN;
import static dev.suite.gateway.routing.Service.AUTH_SERVICE;
import static dev.suite.gateway.routing.Service.AUTH_SERVICE_WITH_QUERY;
import static dev.suite.gateway.routing.Service.GATEWAY;
import static dev.suite.gateway.routing.Service.USER_SERVICE;

import java.util.SortedSet;
import java.util.TreeSet;

import dev.suite.gateway.csrf.CsrfRule;
import dev.suite.gateway.ratelimit.Throttle;
import dev.suite.gateway.session.Credentials;
import io.vertx.core.http.HttpMethod;

/**
 * The public API as one table, and an allowlist: anything else under /api is 404, so internal endpoints of the
 * services (/internal/**) can never be reached through the gateway. Each route declares what it needs; ApiGateway
 * runs the same steps for every one. A path ending in {@code /*} is every longer path under it, forwarded with the
 * same remainder under the upstream path. The first row that matches wins.
 */
public enum ApiRoute {
    //                 method and path                     service        upstream path             caller     CSRF          throttle body               answer
    CSRF(              "GET /api/auth/csrf",               GATEWAY,       null,                     ANYONE,    NEVER,        GENERAL, NO_BODY,           CSRF_TOKEN),
    REGISTER(          "POST /api/auth/register",          AUTH_SERVICE,  "/register",              ANYONE,    ALWAYS,       AUTH,    AS_SENT,           RELAY),
    LOGIN(             "POST /api/auth/login",             AUTH_SERVICE,  "/login",                 ANYONE,    ALWAYS,       AUTH,    WITH_DEVICE_TOKEN, OPEN_SESSION),
    // The second step of a sign-in with a second factor (LOGIN answered 202 and a challenge, no cookies): as signed out as login.
    LOGIN_SECOND_FACTOR("POST /api/auth/login/second-factor", AUTH_SERVICE, "/login/second-factor", ANYONE, ALWAYS, AUTH, AS_SENT, OPEN_SESSION),
    // Passkeys (issue 22): a ceremony's options, and a password-less sign-in, as signed out as login.
    LOGIN_PASSKEY_OPTIONS("POST /api/auth/login/passkey/options", AUTH_SERVICE, "/login/passkey/options", ANYONE, ALWAYS, AUTH, AS_SENT, RELAY),
    LOGIN_PASSKEY(     "POST /api/auth/login/passkey",     AUTH_SERVICE,  "/login/passkey",         ANYONE,    ALWAYS,       AUTH,    WITH_DEVICE_TOKEN, OPEN_SESSION),
    REFRESH(           "POST /api/auth/refresh",           AUTH_SERVICE,  "/refresh",               ANYONE,    WITH_COOKIES, AUTH,    REFRESH_TOKEN,     OPEN_SESSION),
    LOGOUT(            "POST /api/auth/logout",            AUTH_SERVICE,  "/logout",                SIGNED_IN, WITH_COOKIES, GENERAL, NO_BODY,           END_SESSION),
    LOGOUT_ALL(        "POST /api/auth/logout-all",        AUTH_SERVICE,  "/logout-all",            SIGNED_IN, WITH_COOKIES, GENERAL, NO_BODY,           END_SESSION),
    PASSWORD(          "POST /api/auth/password",          AUTH_SERVICE,  "/password",              SIGNED_IN, WITH_COOKIES, GENERAL, AS_SENT,           RELAY),
    // Forgot password: asked and confirmed signed out, so CSRF even without cookies (as login); the strict throttle.
    PASSWORD_RESET(    "POST /api/auth/password-reset",    AUTH_SERVICE,  "/password-reset",        ANYONE,    ALWAYS,       AUTH,    AS_SENT,           RELAY),
    PASSWORD_RESET_CONFIRM("POST /api/auth/password-reset/confirm", AUTH_SERVICE, "/password-reset/confirm", ANYONE, ALWAYS, AUTH, AS_SENT, RELAY),
    // The account's address (issue 21): its state and "send the link again" signed in; a change needs the session and
    // the password; the links' confirmations (verify, change, undo) carry only their token, from any browser, as reset.
    EMAIL(             "GET /api/auth/email",              AUTH_SERVICE,  "/email",                 SIGNED_IN, NEVER,        GENERAL, NO_BODY,           RELAY),
    EMAIL_VERIFICATION("POST /api/auth/email/verification", AUTH_SERVICE, "/email/verification",    SIGNED_IN, WITH_COOKIES, GENERAL, NO_BODY,           RELAY),
    EMAIL_VERIFICATION_CONFIRM("POST /api/auth/email/verification/confirm", AUTH_SERVICE, "/email/verification/confirm", ANYONE, ALWAYS, AUTH, AS_SENT, RELAY),
    EMAIL_CHANGE(      "POST /api/auth/email/change",      AUTH_SERVICE,  "/email/change",          SIGNED_IN, WITH_COOKIES, GENERAL, AS_SENT,           RELAY),
    EMAIL_CHANGE_CONFIRM("POST /api/auth/email/change/confirm", AUTH_SERVICE, "/email/change/confirm", ANYONE, ALWAYS, AUTH, AS_SENT, RELAY),
    EMAIL_CHANGE_UNDO( "POST /api/auth/email/change/undo", AUTH_SERVICE,  "/email/change/undo",     ANYONE,    ALWAYS,       AUTH,    AS_SENT,           RELAY),
    ADMIN_REVOCATIONS( "POST /api/auth/admin/revocations", AUTH_SERVICE,  "/admin/revocations",     SIGNED_IN, WITH_COOKIES, GENERAL, AS_SENT,           RELAY),
    KEYCLOAK_IMPORT(   "POST /api/auth/admin/imports/keycloak", AUTH_SERVICE, "/admin/imports/keycloak", SIGNED_IN, WITH_COOKIES, GENERAL, AS_SENT,      RELAY),
    // Admin accounts and audit trail (issue 23): the auth service checks the admin group, as for the two rows above.
    ADMIN_ACCOUNTS(    "GET /api/auth/admin/accounts",     AUTH_SERVICE_WITH_QUERY, "/admin/accounts", SIGNED_IN, NEVER,    GENERAL, NO_BODY,           RELAY),
    ADMIN_ACCOUNT(     "* /api/auth/admin/accounts/*",     AUTH_SERVICE,  "/admin/accounts/*",      SIGNED_IN, WITH_COOKIES, GENERAL, NO_BODY,           RELAY),
    ADMIN_AUDIT(       "GET /api/auth/admin/audit-events", AUTH_SERVICE_WITH_QUERY, "/admin/audit-events", SIGNED_IN, NEVER,   GENERAL, NO_BODY,           RELAY),
    SESSIONS(          "GET /api/auth/sessions",           AUTH_SERVICE,  "/sessions",              SIGNED_IN, NEVER,        GENERAL, NO_BODY,           RELAY),
    SESSION_END(       "DELETE /api/auth/sessions/*",      AUTH_SERVICE,  "/sessions/*",            SIGNED_IN, WITH_COOKIES, GENERAL, NO_BODY,           RELAY),
    FACTORS(           "GET /api/auth/factors",            AUTH_SERVICE,  "/factors",               SIGNED_IN, NEVER,        GENERAL, NO_BODY,           RELAY),
    // Enrol, confirm (a code: a guess, hence the strict throttle), turn off, new recovery codes.
    FACTOR_CHANGE(     "* /api/auth/factors/*",            AUTH_SERVICE,  "/factors/*",             SIGNED_IN, WITH_COOKIES, AUTH,    AS_SENT,           RELAY),
    JWKS(              "GET /api/auth/jwks.json",          AUTH_SERVICE,  "/.well-known/jwks.json", ANYONE,    NEVER,        GENERAL, NO_BODY,           RELAY),
    ACCOUNT_DELETION(  "DELETE /api/users/me",             USER_SERVICE,  "/users/me",              SIGNED_IN, WITH_COOKIES, GENERAL, AS_SENT,           END_SESSION_IF_DELETED),
    USERS(             "* /api/users/*",                   USER_SERVICE,  "/users/*",               SIGNED_IN, WITH_COOKIES, GENERAL, AS_SENT,           RELAY);

    /** Who may call a route. */
    public enum Caller {
        ANYONE,
        /** A token that token-guard verifies, forwarded to the service as a bearer token. */
        SIGNED_IN
    }

    /** What goes to the service as the request body. */
    public enum Body {
        NO_BODY,
        AS_SENT,
        /** The login body plus the browser's device token from its HttpOnly cookie (see ServiceCalls). */
        WITH_DEVICE_TOKEN,
        /** A body the gateway writes: the refresh token from its cookie, which the SPA cannot read. */
        REFRESH_TOKEN
    }

    /** How the service's answer becomes the browser's. */
    public enum Answer {
        RELAY,
        /** Login and refresh: the tokens into cookies, the user to the SPA. */
        OPEN_SESSION,
        /** Logout: the cookies go whatever the service says, so a browser never keeps a session it asked to end. */
        END_SESSION,
        /** Account deletion: when the service answers 204 the account is gone, and so is the session. */
        END_SESSION_IF_DELETED,
        /** GET /api/auth/csrf, answered by the gateway itself. */
        CSRF_TOKEN
    }

    private static final String ANY_METHOD = "*";
    private static final String ANY_REST = "*";

    private final String method;
    private final String path;
    private final Service service;
    private final String upstreamPath;
    private final Caller caller;
    private final CsrfRule csrf;
    private final Throttle throttle;
    private final Body body;
    private final Answer answer;

    ApiRoute(String methodAndPath, Service service, String upstreamPath, Caller caller, CsrfRule csrf, Throttle throttle,
            Body body, Answer answer) {
        String[] parts = methodAndPath.split(" ", 2);
        this.method = parts[0];
        this.path = parts[1];
        this.service = service;
        this.upstreamPath = upstreamPath;
        this.caller = caller;
        this.csrf = csrf;
        this.throttle = throttle;
        this.body = body;
        this.answer = answer;
    }

    /** The route for a request; null when there is none (404). */
    public static ApiRoute match(HttpMethod method, String path) {
        for (ApiRoute route : values()) {
            if (route.matches(method, path)) {
                return route;
            }
        }
        return null;
    }

    /** The methods the table serves at {@code path}, for the Allow header of a 405; empty when it serves none there. */
    public static SortedSet<String> methodsAt(String path) {
        SortedSet<String> methods = new TreeSet<>();
        for (ApiRoute route : values()) {
            if (route.pathMatches(path)) {
                methods.add(route.method);
            }
        }
        return methods.contains(ANY_METHOD) ? new TreeSet<>() : methods;
    }

    private boolean matches(HttpMethod requestMethod, String requestPath) {
        return (method.equals(ANY_METHOD) || method.equals(requestMethod.name())) && pathMatches(requestPath);
    }

    private boolean pathMatches(String requestPath) {
        if (!path.endsWith(ANY_REST)) {
            return path.equals(requestPath);
        }
        String under = underPrefix();
        return requestPath.startsWith(under) && requestPath.length() > under.length();
    }

    /** The path at the service: the declared one, or for a {@code /*} route the request's remainder under it. */
    public String upstreamPath(String requestPath) {
        if (!path.endsWith(ANY_REST)) {
            return upstreamPath;
        }
        String rest = requestPath.substring(underPrefix().length());
        return upstreamPath.substring(0, upstreamPath.length() - ANY_REST.length()) + rest;
    }

    private String underPrefix() {
        return path.substring(0, path.length() - ANY_REST.length());
    }

    public Service service() {
        return service;
    }

    public Caller caller() {
        return caller;
    }

    public CsrfRule csrf() {
        return csrf;
    }

    /**
     * The counters this request goes into. A refresh without a refresh cookie has nothing to spend: the gateway
     * answers it 401 without asking the auth service, so it costs no auth attempt. That is every signed-out
     * visitor's page load (the SPA asks once whether a session is there): people behind one office address must not
     * use up each other's login attempts by opening the page.
     */
    public Throttle throttleFor(Credentials credentials) {
        return body == Body.REFRESH_TOKEN && credentials.refreshToken() == null ? GENERAL : throttle;
    }

    public Body body() {
        return body;
    }

    public Answer answer() {
        return answer;
    }
}
