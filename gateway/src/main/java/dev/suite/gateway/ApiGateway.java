package dev.suite.gateway;

import java.util.List;
import java.util.Set;

import dev.suite.client.ClientAddress;
import dev.suite.gateway.csrf.CsrfGuard;
import dev.suite.gateway.proxy.Upstream;
import dev.suite.gateway.ratelimit.RateLimiter;
import dev.suite.gateway.ratelimit.Throttle;
import dev.suite.gateway.routing.ApiRoute;
import dev.suite.gateway.routing.ServiceCalls;
import dev.suite.gateway.session.Credentials;
import dev.suite.gateway.session.SessionAnswers;
import dev.suite.problem.Problem;
import dev.suite.problem.ProblemResponses;
import dev.suite.tokenguard.TokenGuard;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The SPA's only door to the API. Every request under /api, after the screens, takes the same steps, each decided
 * by its row in {@link ApiRoute}: the route (404 if none), one kind of credential (Credentials), the rate limit,
 * CSRF, the token verified here too, then the call to the service and the answer turned into the browser's
 * (SessionAnswers: tokens only ever travel in HTTP-only cookies towards the browser).
 */
@ApplicationScoped
public class ApiGateway {

    private final GatewayConfig config;
    private final RateLimiter rateLimiter;
    private final CsrfGuard csrf;
    private final TokenGuard tokenGuard;
    private final ServiceCalls services;
    private final SessionAnswers sessions;

    ApiGateway(GatewayConfig config, RateLimiter rateLimiter, CsrfGuard csrf, TokenGuard tokenGuard, ServiceCalls services,
            SessionAnswers sessions) {
        this.config = config;
        this.rateLimiter = rateLimiter;
        this.csrf = csrf;
        this.tokenGuard = tokenGuard;
        this.services = services;
        this.sessions = sessions;
    }

    void register(@Observes Router router) {
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
        router.route("/api/*").handler(this::handle);
        // What Vert.x itself refuses (a body over gateway.max-body-bytes: 413) is a problem+json answer too.
        router.route("/api/*").failureHandler(ApiGateway::failedInVertx);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        try {
            // The raw path was already screened for traversal (RequestScreen, before any route).
            ApiRoute route = ApiRoute.match(request.method(), request.path());
            if (route == null) {
                Set<String> methods = ApiRoute.methodsAt(request.path());
                throw methods.isEmpty() ? Problem.notFound() : Problem.methodNotAllowed(String.join(", ", methods));
            }
            Credentials credentials = Credentials.of(request);
            admitted(route, request, credentials)
                    .chain(() -> serve(route, ctx, credentials))
                    .subscribe().with(ignored -> { }, failure -> fail(ctx, failure));
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    /**
     * The checks before a request reaches its service, in this order whatever the route: the rate limit (429), CSRF
     * (403), then for a signed-in route the token, verified and not revoked (401). A signed-in request with a token
     * (every read of the SPA) spends its rate-limit counter in the same Redis round trip as the token's revocation
     * query; nothing goes on before both replies are in and judged in that order.
     */
    private Uni<Void> admitted(ApiRoute route, HttpServerRequest request, Credentials credentials) {
        Throttle throttle = route.throttleFor(credentials);
        if (route.caller() == ApiRoute.Caller.SIGNED_IN && credentials.token() != null && throttle == Throttle.GENERAL) {
            return tokenGuard.checkAlong(credentials.token(), List.of(rateLimiter.generalHit(ClientAddress.of(request))),
                    RateLimiter::unavailable).invoke(checked -> {
                        rateLimiter.judge(checked.alongside().get(0));
                        csrf.check(route.csrf(), request);
                        checked.token();
                    }).replaceWithVoid();
        }
        return rateLimiter.check(ClientAddress.of(request), throttle)
                .invoke(() -> csrf.check(route.csrf(), request))
                .chain(() -> route.caller() == ApiRoute.Caller.SIGNED_IN ? verified(credentials.token()) : Uni.createFrom().voidItem());
    }

    private Uni<Void> serve(ApiRoute route, RoutingContext ctx, Credentials credentials) {
        if (route.answer() == ApiRoute.Answer.CSRF_TOKEN) {
            sessions.csrfToken(ctx.response(), credentials.token());
            return Uni.createFrom().voidItem();
        }
        return services.send(route, ctx, credentials)
                .invoke(answer -> answer(route, answer, ctx.response()))
                .replaceWithVoid();
    }

    private void answer(ApiRoute route, HttpResponse<Buffer> answer, HttpServerResponse response) {
        switch (route.answer()) {
            case RELAY -> Upstream.relay(answer, response);
            case OPEN_SESSION -> sessions.open(answer, response);
            case END_SESSION -> {
                sessions.end(response);
                Upstream.relay(answer, response);
            }
            case END_SESSION_IF_DELETED -> {
                if (answer.statusCode() == 204) {
                    sessions.end(response);
                }
                Upstream.relay(answer, response);
            }
            case CSRF_TOKEN -> throw new IllegalStateException("The gateway answers " + route + " itself");
        }
    }

    private Uni<Void> verified(String token) {
        if (token == null) {
            return Uni.createFrom().failure(Problem.notSignedIn());
        }
        return tokenGuard.check(token).replaceWithVoid();
    }

    private static void failedInVertx(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            fail(ctx, new Problem(413, "Content Too Large", "The request body is larger than this API takes."));
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            fail(ctx, new Problem(ctx.statusCode(), HttpResponseStatus.valueOf(ctx.statusCode()).reasonPhrase(),
                    "The request cannot be served as sent."));
        } else {
            fail(ctx, ctx.failure() != null ? ctx.failure() : new IllegalStateException("status " + ctx.statusCode()));
        }
    }

    private static void fail(RoutingContext ctx, Throwable failure) {
        ProblemResponses.write(ctx.response(), failure instanceof Problem p ? p
                : failure instanceof AuthenticationFailedException ? Problem.notSignedIn()
                : Problem.unexpected(failure));
    }
}
