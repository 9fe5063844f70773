package dev.suite.auth.introspection;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import dev.suite.tokenguard.TokenGuard;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * RFC 7662 answers. A token is active for a client when that client's own token-guard would accept it now
 * ({@link TokenGuard#checkAs}: signature, issuer, type, audience, lifetime, and revocation in the same Redis sets every
 * service reads, so a logout shows at once). Then the answer is the token's own claims and nothing else; any other
 * token, for whatever reason, is the same {@code {"active":false}}, so the answer tells nobody why, nor what exists.
 * When Redis cannot answer, the check fails closed with 503, never a guess either way.
 */
@ApplicationScoped
public class TokenIntrospection {

    static final String INACTIVE = new JsonObject().put("active", false).encode();

    /** What an answer repeats from the token's payload, when present (RFC 7519, RFC 9068, and the suite's own). */
    private static final List<String> CLAIMS = List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "sid", "groups", "name");

    private final TokenGuard guard;

    TokenIntrospection(TokenGuard guard) {
        this.guard = guard;
    }

    /** The answer for {@code clientId} about {@code token}, as JSON. */
    public Uni<String> introspect(String token, String clientId) {
        return guard.checkAs(token, clientId).map(TokenIntrospection::active)
                .onFailure(AuthenticationFailedException.class).recoverWithItem(INACTIVE);
    }

    private static String active(VerifiedToken token) {
        // The payload of a token whose signature was just verified: what it says, as it says it.
        String payload = token.rawToken().split("\\.")[1];
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
        JsonObject answer = new JsonObject().put("active", true);
        CLAIMS.stream().filter(claims::containsKey).forEach(claim -> answer.put(claim, claims.getValue(claim)));
        answer.put("token_type", "Bearer").put("typ", token.type());
        if (token.isServiceToken()) {
            answer.put("client_id", token.subject()); // a service token's subject is the client it was issued to
        }
        return answer.encode();
    }
}
