package dev.suite.service.tracing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Spans leave a service over TLS only, like every other internal hop: they name internal hosts, paths and the client
 * addresses and user agents of requests. The exporter would send them in the clear to an {@code http://} collector
 * (its TLS settings apply only to {@code https://}), so %prod refuses to start with one, naming the setting; an
 * empty endpoint (no exporter) is fine. make run and the tests export nothing, and a developer may point them at a
 * local collector over plain HTTP.
 */
@ApplicationScoped
class TraceExportTls {

    void check(@Observes StartupEvent started,
            @ConfigProperty(name = "quarkus.otel.exporter.otlp.traces.endpoint") Optional<String> endpoint) {
        refusePlainEndpointInProd(endpoint.orElse(""), ConfigUtils.getProfiles());
    }

    static void refusePlainEndpointInProd(String endpoint, List<String> activeProfiles) {
        String trimmed = endpoint.trim();
        if (!trimmed.isEmpty() && activeProfiles.contains("prod") && !trimmed.toLowerCase(Locale.ROOT).startsWith("https://")) {
            throw new IllegalStateException("SUITE_TRACING_ENDPOINT (quarkus.otel.exporter.otlp.traces.endpoint) must be an "
                    + "https:// address in production: spans would cross the network in the clear. Was: " + trimmed);
        }
    }
}
