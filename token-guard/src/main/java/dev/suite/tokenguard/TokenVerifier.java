package dev.suite.tokenguard;

import io.quarkus.security.AuthenticationFailedException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks a token's signature and claims: a compact JWS (never JWE, never nested), an allowed asymmetric
 * algorithm, a known {@code kid}, the {@code typ} this service accepts, {@code iss}, the {@code aud} that
 * goes with the type, {@code exp}/{@code nbf}/{@code iat} within the clock skew, and a bounded lifetime.
 * Pure CPU once the key is cached: safe on the event loop. A token seen before is not verified again while it
 * is valid and its key is still published ({@link VerifiedTokenCache}).
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Set<String> ASYMMETRIC = Set.of("ES256", "ES384", "ES512", "EdDSA", "RS256", "RS384",
            "RS512", "PS256", "PS384", "PS512");

    private final TokenGuardConfig config;
    private final JwksCache keys;
    private final JwtConsumer headerReader;
    private final Set<String> acceptedTypes;
    private final VerifiedTokenCache verified;

    TokenVerifier(TokenGuardConfig config, JwksCache keys) {
        for (String algorithm : config.algorithms()) {
            if (!ASYMMETRIC.contains(algorithm)) {
                throw new IllegalStateException("token-guard.algorithms may only name asymmetric algorithms: " + algorithm);
            }
        }
        this.config = config;
        this.keys = keys;
        // First pass: only splits and decodes, so the kid and typ can be read before any key is chosen.
        this.headerReader = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                .setSkipSignatureVerification().build();
        Set<String> types = new HashSet<>();
        config.acceptedTypes().forEach(type -> types.add(type.toLowerCase(Locale.ROOT)));
        this.acceptedTypes = Set.copyOf(types);
        this.verified = new VerifiedTokenCache(config.verifiedCacheSize(), config.clockSkew().toSeconds());
    }

    public Uni<VerifiedToken> verify(String token) {
        return verify(token, config.serviceName());
    }

    /**
     * Verifies the token as the service named {@code serviceName} would: a service token must carry that name as its
     * {@code aud} (user access tokens always carry the user audience). Only this service's own checks are remembered.
     */
    Uni<VerifiedToken> verify(String token, String serviceName) {
        boolean own = config.serviceName().equals(serviceName);
        JwtContext context;
        JsonWebSignature jws;
        try {
            if (token == null || token.isEmpty() || token.length() > config.maxTokenLength()) {
                throw new AuthenticationFailedException("missing or oversized token");
            }
            VerifiedTokenCache.Entry seen = own ? verified.find(token) : null;
            if (seen != null && keys.holds(seen.keyId())) {
                return Uni.createFrom().item(seen.token());
            }
            context = headerReader.process(token);
            List<JsonWebStructure> structures = context.getJoseObjects();
            if (structures.size() != 1 || !(structures.get(0) instanceof JsonWebSignature)) {
                throw new AuthenticationFailedException("not a single JWS");
            }
            jws = (JsonWebSignature) structures.get(0);
            if (!config.algorithms().contains(jws.getAlgorithmHeaderValue())) {
                throw new AuthenticationFailedException("algorithm not allowed");
            }
        } catch (InvalidJwtException | RuntimeException e) {
            return Uni.createFrom().failure(e instanceof AuthenticationFailedException ? e : new AuthenticationFailedException("malformed token"));
        }
        String type = normalisedType(jws.getHeader("typ"));
        if (!acceptedTypes.contains(type)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("token type not accepted here"));
        }
        String keyId = jws.getKeyIdHeaderValue();
        return keys.key(keyId).map(key -> {
            VerifiedToken checked = check(context, key, type, token, serviceName);
            if (own) {
                verified.remember(token, checked, keyId);
            }
            return checked;
        });
    }

    private VerifiedToken check(JwtContext context, JsonWebKey key, String type, String token, String serviceName) {
        String audience = VerifiedToken.SERVICE.equals(type) ? serviceName : config.userAudience();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKey(key.getKey())
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        config.algorithms().toArray(String[]::new)))
                .setJweAlgorithmConstraints(AlgorithmConstraints.DISALLOW_NONE)
                .setExpectedIssuer(config.issuer())
                .setExpectedAudience(audience)
                .setRequireSubject()
                .setRequireJwtId()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireNotBefore()
                .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                .build();
        try {
            consumer.processContext(context);
            JwtClaims claims = context.getJwtClaims();
            NumericDate issuedAt = claims.getIssuedAt();
            NumericDate expiresAt = claims.getExpirationTime();
            long lifetime = expiresAt.getValue() - issuedAt.getValue();
            if (lifetime <= 0 || lifetime > config.maxTokenLifetime().toSeconds()) {
                throw new AuthenticationFailedException("lifetime out of bounds");
            }
            if (issuedAt.getValue() > Instant.now().getEpochSecond() + config.clockSkew().toSeconds()) {
                throw new AuthenticationFailedException("issued in the future");
            }
            String sessionId = claims.getStringClaimValue("sid");
            if (!VerifiedToken.SERVICE.equals(type) && (sessionId == null || sessionId.isBlank())) {
                throw new AuthenticationFailedException("user token without session");
            }
            List<String> groups = claims.hasClaim("groups") ? claims.getStringListClaimValue("groups") : List.of();
            String name = claims.hasClaim("name") ? claims.getStringClaimValue("name") : null;
            String email = claims.hasClaim("email") ? claims.getStringClaimValue("email") : null;
            // How and when the user signed in (RFC 8176 amr, OIDC auth_time), for step-up checks (RecentSignIn); absent: unknown.
            List<String> amr = claims.hasClaim("amr") ? claims.getStringListClaimValue("amr") : List.of();
            Instant authTime = claims.hasClaim("auth_time") ? Instant.ofEpochSecond(claims.getClaimValue("auth_time", Long.class)) : null;
            return new VerifiedToken(claims.getSubject(), name, email, sessionId, claims.getJwtId(), type, Set.copyOf(groups),
                    Instant.ofEpochSecond(issuedAt.getValue()), Instant.ofEpochSecond(expiresAt.getValue()), token, authTime,
                    Set.copyOf(amr));
        } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException e) {
            throw new AuthenticationFailedException("invalid signature or claims");
        }
    }

    /** RFC 8725 3.11: compare types case-insensitively, with or without the "application/" prefix. */
    private static String normalisedType(String typ) {
        if (typ == null) {
            return "";
        }
        String lower = typ.toLowerCase(Locale.ROOT);
        return lower.startsWith("application/") ? lower.substring("application/".length()) : lower;
    }
}
