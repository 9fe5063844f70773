package dev.suite.auth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.jwt.Claims;

import dev.suite.tokenguard.TokenGuardConfig;
import dev.suite.tokenguard.VerifiedToken;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;

/** Mints access tokens (RFC 9068 {@code typ: at+jwt}) signed with ES256, the claims token-guard checks. */
@ApplicationScoped
public class AccessTokens {

    /** A signed token and when it stops being valid. */
    public record Minted(String token, String tokenId, Instant expiresAt) {
    }

    private final SigningKeys keys;
    private final TokenConfig tokens;
    private final TokenGuardConfig guard;

    AccessTokens(SigningKeys keys, TokenConfig tokens, TokenGuardConfig guard) {
        if (tokens.accessLifetime().compareTo(guard.maxTokenLifetime()) > 0) {
            throw new IllegalStateException("auth.token.access-lifetime exceeds token-guard.max-token-lifetime: "
                    + "revocations would not cover the whole life of a token");
        }
        this.keys = keys;
        this.tokens = tokens;
        this.guard = guard;
    }

    /** A user's access token; {@code email} lets the account page show the address without asking the auth service. */
    public Minted forUser(UUID accountId, String displayName, String email, boolean emailVerified, UUID sessionId, Set<String> groups,
            List<String> amr, Instant authTime) {
        JwtClaimsBuilder claims = Jwt.audience(guard.userAudience()).subject(accountId.toString()).groups(groups)
                .claim("name", displayName).claim("email", email).claim("sid", sessionId.toString())
                // OpenID Connect's claim: whether the owner proved the address (issue 21; a relying party decides what needs it).
                .claim("email_verified", emailVerified)
                // How and when its user signed in: RFC 8176 amr and OIDC auth_time, from the session, so a refreshed token
                // says the same as the first one (step-up checks: token-guard RecentSignIn).
                .claim("amr", amr).claim("auth_time", authTime.getEpochSecond());
        return sign(claims, VerifiedToken.USER_ACCESS, tokens.accessLifetime());
    }

    /** A service token (RFC 8725 3.11: its own {@code typ}) for one callee; never accepted where a user token is. */
    public Minted forService(String clientId, String audience, Duration lifetime) {
        return sign(Jwt.audience(audience).subject(clientId).groups(Set.of("service")), VerifiedToken.SERVICE, lifetime);
    }

    /** The claims every token carries (iss, jti, iat, nbf, exp), then ES256 with the current key and the given typ. */
    private Minted sign(JwtClaimsBuilder claims, String type, Duration lifetime) {
        Instant now = Instant.now();
        Instant expiresAt = now.plus(lifetime);
        String tokenId = UUID.randomUUID().toString();
        SigningKeys.SigningKey key = keys.current();
        String token = claims.issuer(guard.issuer())
                .claim(Claims.jti.name(), tokenId)
                .issuedAt(now)
                .claim(Claims.nbf.name(), now.getEpochSecond())
                .expiresAt(expiresAt)
                .jws().keyId(key.kid()).header("typ", type).algorithm(SignatureAlgorithm.ES256)
                .sign(key.privateKey());
        return new Minted(token, tokenId, expiresAt);
    }
}
