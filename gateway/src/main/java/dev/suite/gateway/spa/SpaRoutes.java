package dev.suite.gateway.spa;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.suite.gateway.GatewayConfig;
import dev.suite.problem.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Everything outside /api: the built SPA (gateway.spa-dir) at /, its client-side routes answered with the app
 * itself, and a 404 for /q/*, where Quarkus would put management endpoints that share the API port.
 */
@ApplicationScoped
public class SpaRoutes {

    void register(@Observes Router router, GatewayConfig config) {
        // A scraper or probe pointed at the wrong port gets a clear 404, never the SPA's index.html (a 200) nor the
        // framework's own page. Registered before the SPA's routes, so they need not exclude /q/.
        router.route("/q/*").handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                .end(Problem.notFound().toJson()));
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
