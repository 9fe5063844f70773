package dev.suite.tokenguard;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
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

    /**
     * {@link #check}, with the caller's own Redis commands in the same round trip as the revocation query: the
     * gateway's rate-limit counter, which every request spends anyway, so a signed-in request costs one round trip
     * instead of two. The commands are sent whatever the token: one that does not verify is not looked up, and its
     * refusal waits in the answer, so that the caller keeps the order of its own checks (429 before 401). A Redis
     * failure fails the call with {@code unavailable}.
     */
    public Uni<Along> checkAlong(String token, List<Request> alongside, Function<String, ? extends RuntimeException> unavailable) {
        alongside.forEach(TokenGuard::refuseConnectionState);
        return verifier.verify(token)
                .onItemOrFailure().transformToUni((verified, refused) -> {
                    if (refused != null) {
                        if (!(refused instanceof AuthenticationFailedException)) {
                            return Uni.createFrom().failure(refused);
                        }
                        return revocations.sendAlone(alongside, unavailable).map(replies -> new Along(replies, null, refused));
                    }
                    return revocations.isRevokedAlong(verified, alongside, unavailable).map(batch -> new Along(batch.alongside(),
                            verified, batch.revoked() ? new AuthenticationFailedException("revoked") : null));
                });
    }

    /**
     * The caller's commands share the revocation checks' long-lived connection, so none may change what that connection
     * means for the checks after it: a SELECT would point every later lookup at an empty database (every revoked token
     * accepted), CLIENT REPLY would shift every reply by one, a blocking command would hold every check behind it. Only
     * plain key commands and scripts go along; anything else is a programming error, refused before anything is sent.
     */
    static void refuseConnectionState(Request command) {
        if (!ALONG.contains(command.command().toString().toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException(command.command() + " cannot go along a revocation check: only " + ALONG);
        }
    }

    private static final Set<String> ALONG = Set.of("EVAL", "EVALSHA", "INCR", "INCRBY", "DECR", "DECRBY",
            "GET", "GETEX", "SET", "EXISTS", "EXPIRE", "PEXPIRE", "TTL", "PTTL");

    /**
     * What {@link #checkAlong} found: the replies to the caller's commands, and the token, which {@link #token()}
     * hands out only if it verified and was not revoked.
     */
    public static final class Along {
        private final List<Response> alongside;
        private final VerifiedToken token;
        private final Throwable refusal;

        Along(List<Response> alongside, VerifiedToken token, Throwable refusal) {
            this.alongside = alongside;
            this.token = token;
            this.refusal = refusal;
        }

        public List<Response> alongside() {
            return alongside;
        }

        /** The accepted token; throws the refusal (401) when it did not verify or was revoked. */
        public VerifiedToken token() {
            if (refusal != null) {
                throw refusal instanceof RuntimeException runtime ? runtime : new AuthenticationFailedException(refusal);
            }
            return token;
        }
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
