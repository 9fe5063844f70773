package dev.suite.gateway;

import java.util.Set;


import dev.suite.client.ClientAddress;
import dev.suite.gateway.cookies.SessionCookies;
import dev.suite.gateway.csrf.CsrfGuard;
import dev.suite.gateway.proxy.Upstream;
import dev.suite.gateway.ratelimit.RateLimiter;
import dev.suite.gateway.session.Credentials;
import dev.suite.gateway.session.SessionAnswers;
import dev.suite.problem.Problem;
import dev.suite.problem.ProblemResponses;
import dev.suite.tokenguard.TokenGuard;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The SPA's only door to the API. Per request: path checks, rate limit, one kind of credential (cookies or a
 * bearer token, never both), CSRF for unsafe requests with cookies, the token verified here too, then the
 * call to the service. Tokens only ever travel in HTTP-only cookies towards the browser.
 */
@ApplicationScoped
public class ApiGateway {

    private static final Set<HttpMethod> UNSAFE = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final GatewayConfig config;
    private final Upstream upstream;
    private final RateLimiter rateLimiter;
    private final CsrfGuard csrf;
    private final SessionAnswers sessions;
    private final TokenGuard tokenGuard;

    ApiGateway(GatewayConfig config, Upstream upstream, RateLimiter rateLimiter, CsrfGuard csrf, SessionAnswers sessions,
            TokenGuard tokenGuard) {
        this.config = config;
        this.upstream = upstream;
        this.rateLimiter = rateLimiter;
        this.csrf = csrf;
        this.sessions = sessions;
        this.tokenGuard = tokenGuard;
    }

    void register(@Observes Router router) {
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
        router.route("/api/*").handler(this::handle);
        // What Vert.x itself refuses (a body over gateway.max-body-bytes: 413) is a problem+json answer too.
        router.route("/api/*").failureHandler(ApiGateway::failedInVertx);
    }

    private static void failedInVertx(RoutingContext ctx) {
        if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            fail(ctx, new Problem(ctx.statusCode(), HttpResponseStatus.valueOf(ctx.statusCode()).reasonPhrase(),
                    "The request cannot be served as sent."));
        } else {
            fail(ctx, ctx.failure() != null ? ctx.failure() : new IllegalStateException("status " + ctx.statusCode()));
        }
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        try {
            // The raw path was already screened for traversal (RequestScreen, before any route).
            ApiRoute route = ApiRoute.match(request.method(), request.path());
            if (route == null) {
                throw new Problem(404, "Not Found", "No such API endpoint.");
            }
            Credentials credentials = Credentials.of(request);
            rateLimiter.check(ClientAddress.of(request), route.throttledAsAuth())
                    .invoke(() -> {
                        // Login and register always: a cross-site form carries no SameSite cookies, yet must not log
                        // the victim into the attacker's account (login CSRF).
                        boolean carriesCookies = request.getHeader("Cookie") != null;
                        if (UNSAFE.contains(request.method()) && (carriesCookies || route.isLoginOrRegister())) {
                            csrf.check(request);
                        }
                    })
                    .chain(() -> dispatch(route, ctx, credentials))
                    .subscribe().with(ignored -> { }, failure -> fail(ctx, failure));
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    private Uni<Void> dispatch(ApiRoute route, RoutingContext ctx, Credentials credentials) {
        HttpServerRequest request = ctx.request();
        String bearer = credentials.token();
        HttpServerResponse response = ctx.response();
        Buffer body = ctx.body().buffer() == null ? null : Buffer.newInstance(ctx.body().buffer());
        String auth = config.authUrl();
        return switch (route) {
            case CSRF -> {
                sessions.csrfToken(response, bearer);
                yield Uni.createFrom().voidItem();
            }
            case REGISTER -> upstream.call(HttpMethod.POST, auth + "/register", request, null, body).invoke(r -> Upstream.relay(r, response)).replaceWithVoid();
            case LOGIN -> upstream.call(HttpMethod.POST, auth + "/login", request, null, withDeviceToken(body, request))
                    .invoke(r -> sessions.open(r, response)).replaceWithVoid();
            case REFRESH -> {
                String refresh = credentials.requireRefreshToken();
                yield upstream.callJson(HttpMethod.POST, auth + "/refresh", request, new JsonObject().put("refreshToken", refresh))
                        .invoke(r -> sessions.open(r, response)).replaceWithVoid();
            }
            case LOGOUT, LOGOUT_ALL -> verified(bearer)
                    .chain(() -> upstream.call(HttpMethod.POST, auth + (route == ApiRoute.LOGOUT ? "/logout" : "/logout-all"), request, bearer, null))
                    .invoke(r -> {
                        sessions.end(response);
                        Upstream.relay(r, response);
                    }).replaceWithVoid();
            case PASSWORD, ADMIN_REVOCATIONS -> verified(bearer)
                    .chain(() -> upstream.call(HttpMethod.POST, auth + route.path.substring("/api/auth".length()), request, bearer, body))
                    .invoke(r -> Upstream.relay(r, response)).replaceWithVoid();
            case JWKS -> upstream.call(HttpMethod.GET, auth + "/.well-known/jwks.json", request, null, null)
                    .invoke(r -> Upstream.relay(r, response)).replaceWithVoid();
            case USERS -> verified(bearer)
                    .chain(() -> upstream.call(request.method(), config.userUrl() + request.path().substring("/api".length())
                            + (request.query() == null ? "" : "?" + request.query()), request, bearer, body))
                    .invoke(r -> {
                        if (request.method() == HttpMethod.DELETE && "/api/users/me".equals(request.path()) && r.statusCode() == 204) {
                            // The account is gone: so is the session, in the browser too.
                            sessions.end(response);
                        }
                        Upstream.relay(r, response);
                    }).replaceWithVoid();
        };
    }

    /**
     * The login body with the browser's device token from its HttpOnly cookie, so that a browser that signed in
     * before is throttled on its own (auth-service's DeviceTokens). A body that is not a JSON object goes as it is:
     * the auth service answers it.
     */
    private static Buffer withDeviceToken(Buffer body, HttpServerRequest request) {
        Cookie device = request.getCookie(SessionCookies.DEVICE);
        if (device == null || body == null) {
            return body;
        }
        try {
            return Buffer.newInstance(new JsonObject(body.getDelegate()).put("deviceToken", device.getValue()).toBuffer());
        } catch (RuntimeException notAnObject) {
            return body;
        }
    }

    private Uni<Void> verified(String token) {
        if (token == null) {
            return Uni.createFrom().failure(Problem.unauthorized("Sign in first."));
        }
        return tokenGuard.check(token).replaceWithVoid();
    }

    private static void fail(RoutingContext ctx, Throwable failure) {
        ProblemResponses.write(ctx.response(), failure instanceof Problem p ? p
                : failure instanceof AuthenticationFailedException ? Problem.unauthorized("A valid session is required.")
                : Problem.unexpected(failure));
    }
}
