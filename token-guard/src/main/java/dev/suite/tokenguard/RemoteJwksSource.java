package dev.suite.tokenguard;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Fetches the JWKS from {@code token-guard.jwks-url} with a non-blocking client. Whoever serves the JWKS decides which
 * keys sign valid tokens, so over https the server must prove it is the auth service: a certificate from
 * {@code token-guard.jwks.ca-file}'s CA, for the URL's host.
 */
public class RemoteJwksSource implements JwksSource {

    private final WebClient client;
    private final String url;
    private final long timeoutMillis;

    RemoteJwksSource(Vertx vertx, TokenGuardConfig config) {
        this(vertx, config.jwksUrl().orElseThrow(() -> new IllegalStateException(
                "token-guard.jwks-url is not set: where are the auth service's public keys?")),
                config.jwks().caFile(), config.jwks().fetchTimeout());
    }

    RemoteJwksSource(Vertx vertx, String url, Optional<String> caFile, Duration fetchTimeout) {
        if (caFile.isPresent() && !url.startsWith("https://")) {
            throw new IllegalStateException("token-guard.jwks.ca-file names the CA of the auth service, but token-guard.jwks-url "
                    + url + " is not https: anyone on the way could serve keys of their own");
        }
        WebClientOptions options = new WebClientOptions().setVerifyHost(true);
        // Only this CA, not the JVM's: a certificate any public CA issued for a look-alike host proves nothing here.
        caFile.ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca)));
        this.client = WebClient.create(vertx, options);
        this.url = url;
        this.timeoutMillis = fetchTimeout.toMillis();
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
