package dev.suite.tokenguard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/**
 * The signing side of the tests: key pairs whose public halves are served over HTTP at {@code /test-jwks}, as
 * the auth service's JWKS endpoint does, so token-guard's real remote source fetches them; and a builder for
 * well-formed tokens that each hostile case then breaks in one way.
 */
@Path("/test-jwks")
public class TestKeys {

    static final List<PublicJsonWebKey> PUBLISHED = new CopyOnWriteArrayList<>();
    static final AtomicInteger FETCHES = new AtomicInteger();
    static final PublicJsonWebKey SIGNING = newKey("test-key-1");

    static {
        PUBLISHED.add(SIGNING);
    }

    @GET
    @Produces("application/json")
    public String jwks() {
        FETCHES.incrementAndGet();
        List<JsonWebKey> publicKeys = new ArrayList<>();
        for (PublicJsonWebKey key : PUBLISHED) {
            try {
                publicKeys.add(JsonWebKey.Factory.newJwk(key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
        return new JsonWebKeySet(publicKeys).toJson();
    }

    static PublicJsonWebKey newKey(String kid) {
        try {
            PublicJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims of a valid user access token. */
    static JwtClaims userClaims() {
        JwtClaims claims = new JwtClaims();
        long now = Instant.now().getEpochSecond();
        claims.setIssuer("https://auth.suite.local");
        claims.setAudience("suite");
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("sid", UUID.randomUUID().toString());
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setNotBefore(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 300));
        claims.setStringListClaim("groups", "user");
        return claims;
    }

    static String sign(JwtClaims claims) {
        return sign(claims, SIGNING, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
    }

    static String sign(JwtClaims claims, PublicJsonWebKey key, String algorithm, String typ) {
        return signPayload(claims.toJson(), key, algorithm, typ);
    }

    static String signPayload(String payload, PublicJsonWebKey key, String algorithm, String typ) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(algorithm);
        if (typ != null) {
            jws.setHeader("typ", typ);
        }
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
