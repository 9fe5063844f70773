package dev.suite.gateway;

import java.nio.file.Files;
import java.nio.file.Path;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Plain HTTP is only for health checks (probes) and a redirect to HTTPS; the built SPA is served at /. */
@ApplicationScoped
public class HttpsAndSpa {

    private final GatewayConfig config;

    HttpsAndSpa(GatewayConfig config) {
        this.config = config;
    }

    void register(@Observes Router router) {
        config.redirectToHttpsPort().ifPresent(port -> router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (ctx.request().isSSL() || ctx.request().path().startsWith("/q/health")) {
                ctx.next();
                return;
            }
            String host = ctx.request().authority() == null ? "localhost" : ctx.request().authority().host();
            ctx.response().setStatusCode(308).putHeader("Location", "https://" + host + ":" + port + ctx.request().uri()).end();
        }));
        config.spaDir().map(Path::of).filter(Files::isDirectory).ifPresent(dir -> {
            StaticHandler files = StaticHandler.create(FileSystemAccess.ROOT, dir.toAbsolutePath().toString())
                    .setIndexPage("index.html").setCachingEnabled(false);
            router.routeWithRegex("^/(?!api/|q/).*").handler(files);
            // Client-side routes (/profile, /login, ...) get the app itself.
            router.routeWithRegex("^/(?!api/|q/)[^.]*$").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html")
                    .sendFile(dir.resolve("index.html").toString()));
        });
    }
}
