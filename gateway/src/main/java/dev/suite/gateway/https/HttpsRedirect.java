package dev.suite.gateway.https;

import dev.suite.gateway.GatewayConfig;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Plain HTTP is only a redirect to HTTPS, when {@code gateway.redirect-to-https-port} is set (behind an Ingress that
 * terminates TLS it is not, and the pod serves plain HTTP). Health, metrics and OpenAPI are on the management port
 * (application.properties), never here, so no probe is redirected.
 */
@ApplicationScoped
public class HttpsRedirect {

    void register(@Observes Router router, GatewayConfig config) {
        config.redirectToHttpsPort().ifPresent(port -> router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (ctx.request().isSSL()) {
                ctx.next();
                return;
            }
            String host = ctx.request().authority() == null ? "localhost" : ctx.request().authority().host();
            ctx.response().setStatusCode(308).putHeader("Location", "https://" + host + ":" + port + ctx.request().uri()).end();
        }));
    }
}
