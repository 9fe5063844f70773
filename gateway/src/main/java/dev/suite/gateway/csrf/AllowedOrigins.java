package dev.suite.gateway.csrf;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one Origin rule, used by the request screen (every /api request) and by {@link CsrfGuard} (unsafe requests):
 * no Origin header (same-origin GETs, non-browser clients), our own origin, or one of the CORS allowlist.
 */
@ApplicationScoped
public class AllowedOrigins {

    private final Set<String> allowlist;

    AllowedOrigins(@ConfigProperty(name = "quarkus.http.cors.origins", defaultValue = "") Optional<List<String>> corsOrigins) {
        this.allowlist = Set.copyOf(corsOrigins.orElse(List.of()));
    }

    public boolean allow(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        return origin == null || origin.equals(request.scheme() + "://" + request.authority()) || allowlist.contains(origin);
    }
}
