package dev.suite.tokenguard;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Fetches the JWKS from {@code token-guard.jwks-url} with a non-blocking client. */
public class RemoteJwksSource implements JwksSource {

    private final WebClient client;
    private final String url;
    private final long timeoutMillis;

    RemoteJwksSource(Vertx vertx, TokenGuardConfig config) {
        this.client = WebClient.create(vertx);
        this.url = config.jwksUrl().orElseThrow(() -> new IllegalStateException(
                "token-guard.jwks-url is not set: where are the auth service's public keys?"));
        this.timeoutMillis = config.jwks().fetchTimeout().toMillis();
    }

    @Override
    public Uni<String> fetch() {
        return client.getAbs(url).timeout(timeoutMillis).send().map(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("JWKS fetch answered " + response.statusCode());
            }
            return response.bodyAsString();
        });
    }

    /** The default source, replaced by any other {@link JwksSource} bean a service declares. */
    static class Producer {
        @Produces
        @DefaultBean
        @ApplicationScoped
        JwksSource remote(Vertx vertx, TokenGuardConfig config) {
            return new RemoteJwksSource(vertx, config);
        }
    }
}
