package dev.suite.gateway;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.suite.problem.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Plain HTTP is only a redirect to HTTPS; the built SPA is served at /. Health, metrics and OpenAPI are on the
 * management port (application.properties), never here.
 */
@ApplicationScoped
public class HttpsAndSpa {

    private final GatewayConfig config;

    HttpsAndSpa(GatewayConfig config) {
        this.config = config;
    }

    void register(@Observes Router router) {
        config.redirectToHttpsPort().ifPresent(port -> router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (ctx.request().isSSL()) {
                ctx.next();
                return;
            }
            String host = ctx.request().authority() == null ? "localhost" : ctx.request().authority().host();
            ctx.response().setStatusCode(308).putHeader("Location", "https://" + host + ":" + port + ctx.request().uri()).end();
        }));
        // /q/ is where Quarkus serves management endpoints when they share the API port: a scraper or probe pointed at
        // the wrong port gets a clear 404, never the SPA's index.html (a 200) nor the framework's own page. Registered
        // before the SPA's routes, so they need not exclude /q/.
        router.route("/q/*").handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                .end(new Problem(404, "Not Found", "No such resource.").toJson()));
        config.spaDir().map(Path::of).filter(Files::isDirectory).ifPresent(dir -> {
            StaticHandler files = StaticHandler.create(FileSystemAccess.ROOT, dir.toAbsolutePath().toString())
                    .setIndexPage("index.html").setCachingEnabled(false);
            router.routeWithRegex("^/(?!api/).*").handler(files);
            // Client-side routes (/profile, /login, ...) get the app itself.
            router.routeWithRegex("^/(?!api/)[^.]*$").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html")
                    .sendFile(dir.resolve("index.html").toString()));
        });
    }
}
