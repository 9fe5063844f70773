package dev.suite.gateway.routing;

import dev.suite.gateway.GatewayConfig;
import dev.suite.gateway.cookies.SessionCookies;
import dev.suite.gateway.proxy.Upstream;
import dev.suite.gateway.routing.ApiRoute.Caller;
import dev.suite.gateway.session.Credentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;

/** The request a route makes to its service, as its row in {@link ApiRoute} declares it. */
@ApplicationScoped
public class ServiceCalls {

    /** The field of auth-service's refresh request; IssuedTokensContractTest refreshes with it. */
    public static final String REFRESH_TOKEN_FIELD = "refreshToken";

    private final GatewayConfig config;
    private final Upstream upstream;

    ServiceCalls(GatewayConfig config, Upstream upstream) {
        this.config = config;
        this.upstream = upstream;
    }

    public Uni<HttpResponse<Buffer>> send(ApiRoute route, RoutingContext ctx, Credentials credentials) {
        HttpServerRequest request = ctx.request();
        String url = url(route, request);
        // Only a token the gateway verified goes on; no other route hands one to a service.
        String bearer = route.caller() == Caller.SIGNED_IN ? credentials.token() : null;
        Buffer sent = ctx.body().buffer() == null ? null : Buffer.newInstance(ctx.body().buffer());
        return switch (route.body()) {
            case NO_BODY -> upstream.call(request.method(), url, request, bearer, null);
            case AS_SENT -> upstream.call(request.method(), url, request, bearer, sent);
            case WITH_DEVICE_TOKEN -> upstream.call(request.method(), url, request, bearer, withDeviceToken(sent, request));
            case REFRESH_TOKEN -> upstream.callJson(request.method(), url, request,
                    new JsonObject().put(REFRESH_TOKEN_FIELD, credentials.requireRefreshToken()));
        };
    }

    private String url(ApiRoute route, HttpServerRequest request) {
        Service service = route.service();
        String query = service.takesQuery() && request.query() != null ? "?" + request.query() : "";
        return service.baseUrl(config) + route.upstreamPath(request.path()) + query;
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
}
