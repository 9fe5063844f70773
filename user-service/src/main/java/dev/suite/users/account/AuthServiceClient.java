package dev.suite.users.account;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.suite.problem.Problem;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The user service's calls to the auth service, each with a service token (client credentials, audience
 * {@code auth-service}) that is cached until shortly before it expires. Every call has a timeout; a failure
 * is a 503 the user can retry.
 */
@ApplicationScoped
public class AuthServiceClient {

    @ConfigMapping(prefix = "users.auth")
    public interface Config {
        String url();

        /** The CA (a PEM file) that alone may vouch for the auth service: a password crosses this hop. */
        String caFile();

        String clientId();

        String clientSecret();

        @WithDefault("PT3S")
        Duration timeout();
    }

    private record CachedToken(String value, Instant expiresAt) {
    }

    private final WebClient client;
    private final Config config;
    private volatile CachedToken token;

    AuthServiceClient(Vertx vertx, Config config) {
        this.client = WebClient.create(vertx, new WebClientOptions().setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(config.caFile())));
        this.config = config;
    }

    /**
     * Deletes the account and revokes all its sessions once the auth service has checked the owner's password;
     * succeeds too when the account is already gone. The auth service's refusals (wrong password 403, throttled
     * 429, raced 409) reach the user as they are; anything else is a 503 to retry (which cannot promise that nothing
     * changed: an answer that timed out may come from a deletion the auth service committed).
     */
    public Uni<Void> deleteAccount(UUID accountId, UUID sessionId, String currentPassword) {
        JsonObject body = new JsonObject().put("currentPassword", currentPassword).put("sessionId", sessionId.toString());
        return serviceToken().chain(bearer -> client.deleteAbs(config.url() + "/internal/accounts/" + accountId)
                .bearerTokenAuthentication(bearer).timeout(config.timeout().toMillis()).sendJsonObject(body))
                .map(response -> {
                    int status = response.statusCode();
                    String stepUp = response.getHeader("WWW-Authenticate");
                    if (status == 403 && stepUp != null && stepUp.contains("insufficient_user_authentication")) {
                        // The account has a second factor and this session did not sign in with it recently (issue 22):
                        // the user signs in again and retries, as token-guard's StepUp tells any client.
                        throw new Problem(403, "Forbidden", "Deleting the account needs a sign-in with your second factor in the last "
                                + "few minutes: sign in again.", java.util.Map.of("WWW-Authenticate", stepUp));
                    }
                    if (status == 403 || status == 409 || status == 429) {
                        String retryAfter = response.getHeader("Retry-After");
                        String detail = status == 403 ? "The current password is incorrect."
                                : status == 409 ? "The password was changed meanwhile; try again." : "Too many attempts; try again later.";
                        throw new Problem(status, status == 403 ? "Forbidden" : status == 409 ? "Conflict" : "Too Many Requests", detail,
                                retryAfter == null ? java.util.Map.of() : java.util.Map.of("Retry-After", retryAfter));
                    }
                    if (status != 204) {
                        throw new IllegalStateException("account deletion answered " + status);
                    }
                    return (Void) null;
                })
                .onFailure(failure -> !(failure instanceof Problem))
                .transform(failure -> Problem.unavailable("The account could not be deleted right now. Try again."));
    }

    private Uni<String> serviceToken() {
        CachedToken current = token;
        if (current != null && Instant.now().isBefore(current.expiresAt().minusSeconds(30))) {
            return Uni.createFrom().item(current.value());
        }
        JsonObject request = new JsonObject().put("clientId", config.clientId()).put("clientSecret", config.clientSecret())
                .put("audience", "auth-service");
        return client.postAbs(config.url() + "/internal/service-tokens").timeout(config.timeout().toMillis())
                .sendJsonObject(request).map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("service token request answered " + response.statusCode());
                    }
                    JsonObject body = response.bodyAsJsonObject();
                    CachedToken fresh = new CachedToken(body.getString("accessToken"), Instant.parse(body.getString("expiresAt")));
                    token = fresh;
                    return fresh.value();
                });
    }
}
