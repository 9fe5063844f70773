package org.example.greeter;

import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The suite's user service, called as the greeter itself: with a service token the auth service issues to the
 * greeter's registered client (client credentials, audience user-service), kept until 30 s before it expires.
 */
@ApplicationScoped
public class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class);
    private static final String AUDIENCE = "user-service";

    /** What the user service tells another service about a user. */
    public record Card(String id, String displayName, String locale) {
    }

    private record ServiceToken(String value, Instant expiresAt) {
        @Override
        public String toString() {
            return "ServiceToken[expiresAt=" + expiresAt + "]"; // never the token
        }
    }

    private final WebClient client;
    private final GreeterConfig config;
    private volatile ServiceToken token;

    UserService(Vertx vertx, GreeterConfig config) {
        // Only the suite's CA, and the host name checked: the client secret crosses this connection.
        this.client = WebClient.create(vertx, new WebClientOptions().setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(config.caFile())));
        this.config = config;
    }

    /** The user's card; empty when the user never opened their profile (the user service makes it at the first visit). */
    public Uni<Optional<Card>> card(String userId) {
        return serviceToken().chain(bearer -> client.getAbs(config.userServiceUrl() + "/internal/profiles/" + userId)
                .bearerTokenAuthentication(bearer).timeout(config.timeout().toMillis()).send())
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return Optional.<Card>empty();
                    }
                    if (response.statusCode() != 200) {
                        throw new UserServiceUnavailable("the user service answered " + response.statusCode());
                    }
                    JsonObject card = response.bodyAsJsonObject();
                    return Optional.of(new Card(card.getString("id"), card.getString("displayName"), card.getString("locale")));
                })
                .onFailure(failure -> !(failure instanceof UserServiceUnavailable))
                .transform(failure -> new UserServiceUnavailable(failure.toString()));
    }

    private Uni<String> serviceToken() {
        ServiceToken current = token;
        if (current != null && Instant.now().isBefore(current.expiresAt().minusSeconds(30))) {
            return Uni.createFrom().item(current.value());
        }
        JsonObject request = new JsonObject().put("clientId", config.clientId()).put("clientSecret", config.clientSecret())
                .put("audience", AUDIENCE);
        return client.postAbs(config.authUrl() + "/internal/service-tokens").timeout(config.timeout().toMillis())
                .sendJsonObject(request).map(response -> {
                    if (response.statusCode() != 200) {
                        // 401: this client id or secret is not registered with the auth service; 403: not for this audience.
                        LOG.warnf("The auth service refused client %s a token for %s: %d", config.clientId(), AUDIENCE,
                                response.statusCode());
                        throw new UserServiceUnavailable("no service token: " + response.statusCode());
                    }
                    JsonObject body = response.bodyAsJsonObject();
                    ServiceToken fresh = new ServiceToken(body.getString("accessToken"), Instant.parse(body.getString("expiresAt")));
                    token = fresh;
                    return fresh.value();
                });
    }
}
