package dev.suite.auth.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;

import dev.suite.tokenguard.TokenGuardConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The registered service clients ({@code auth.client-credentials.clients}) and the one check of a client's secret, for
 * the service-token endpoint and the introspection endpoint alike. Secrets are compared as SHA-256 digests in
 * constant time, and an unknown client costs the same comparison, so neither the length of a secret nor the
 * existence of a client shows in the time an answer takes.
 */
@Startup // a client registered for the user audience stops the start
@ApplicationScoped
public class RegisteredClients {

    /** A client that proved its secret: its id (also the {@code aud} of service tokens for it) and whom it may call. */
    public record Client(String id, Set<String> audiences) {
    }

    private static final byte[] NO_SECRET = digest("no client has this secret: it only makes the comparison take as long");

    private final ClientCredentialsConfig config;

    RegisteredClients(ClientCredentialsConfig config, TokenGuardConfig tokens) {
        refuseUserAudience(config, tokens.userAudience());
        this.config = config;
    }

    /**
     * A service token's aud is its callee, never the user audience: then a verifier that checks aud alone (quarkus-oidc,
     * which cannot check the JOSE typ) still never takes a service token for a user's.
     */
    static void refuseUserAudience(ClientCredentialsConfig config, String userAudience) {
        config.clients().forEach((id, client) -> {
            if (client.audiences().contains(userAudience)) {
                throw new IllegalStateException("auth.client-credentials.clients." + id + ".audiences names \"" + userAudience
                        + "\", the audience of user access tokens: a service token for it could pass for a user's");
            }
        });
    }

    /** The client, when {@code clientId} is registered and {@code secret} is its secret; empty otherwise, for either reason. */
    public Optional<Client> authenticate(String clientId, String secret) {
        if (clientId == null || secret == null) {
            return Optional.empty();
        }
        ClientCredentialsConfig.Client client = config.clients().get(clientId);
        byte[] expected = client == null ? NO_SECRET : digest(client.secret());
        boolean matches = MessageDigest.isEqual(expected, digest(secret)) && client != null;
        return matches ? Optional.of(new Client(clientId, Set.copyOf(client.audiences()))) : Optional.empty();
    }

    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
