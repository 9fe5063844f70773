package dev.suite.tokenguard;

import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one way to accept a token in this suite: verified signature and claims, then not revoked.
 * Fails with {@link io.quarkus.security.AuthenticationFailedException} (401) or {@link RevocationUnavailableException} (503).
 */
@ApplicationScoped
public class TokenGuard {

    private final TokenVerifier verifier;
    private final RevocationStore revocations;

    TokenGuard(TokenVerifier verifier, RevocationStore revocations) {
        this.verifier = verifier;
        this.revocations = revocations;
    }

    public Uni<VerifiedToken> check(String token) {
        return notRevoked(verifier.verify(token));
    }

    /**
     * The same check as the service named {@code serviceName} would make: its service tokens (aud = that name) and
     * user access tokens pass, any other service's tokens fail. The auth service's introspection endpoint answers
     * for each registered client with this.
     */
    public Uni<VerifiedToken> checkAs(String token, String serviceName) {
        return notRevoked(verifier.verify(token, serviceName));
    }

    private Uni<VerifiedToken> notRevoked(Uni<VerifiedToken> verification) {
        return verification.flatMap(verified -> revocations.isRevoked(verified).map(revoked -> {
            if (revoked) {
                throw new AuthenticationFailedException("revoked");
            }
            return verified;
        }));
    }
}
