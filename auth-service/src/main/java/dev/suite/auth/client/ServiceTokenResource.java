package dev.suite.auth.client;

import java.time.Instant;

import dev.suite.problem.Problem;
import dev.suite.auth.token.AccessTokens;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * Client credentials for our own services: a service proves its secret and gets a short-lived token
 * ({@code typ: svc+jwt}) for one callee audience it is allowed to call.
 */
@Path("/internal/service-tokens")
public class ServiceTokenResource {

    public record ServiceTokenRequest(String clientId, String clientSecret, String audience) {
        @Override
        public String toString() {
            return "ServiceTokenRequest[clientId=" + clientId + ", audience=" + audience + "]";
        }
    }

    public record ServiceToken(String accessToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "ServiceToken[expiresAt=" + expiresAt + "]";
        }
    }

    private final ClientCredentialsConfig config;
    private final RegisteredClients clients;
    private final AccessTokens tokens;

    ServiceTokenResource(ClientCredentialsConfig config, RegisteredClients clients, AccessTokens tokens) {
        this.config = config;
        this.clients = clients;
        this.tokens = tokens;
    }

    @POST
    public ServiceToken issue(ServiceTokenRequest request) {
        if (request == null || request.clientId() == null || request.clientSecret() == null || request.audience() == null) {
            throw Problem.badRequest("clientId, clientSecret and audience are required.");
        }
        RegisteredClients.Client client = clients.authenticate(request.clientId(), request.clientSecret())
                .orElseThrow(() -> Problem.unauthorized("Unknown client or wrong secret."));
        if (!client.audiences().contains(request.audience())) {
            throw new Problem(403, "Forbidden", "This client may not call that audience.");
        }
        AccessTokens.Minted minted = tokens.forService(request.clientId(), request.audience(), config.tokenLifetime());
        return new ServiceToken(minted.token(), minted.expiresAt());
    }
}
