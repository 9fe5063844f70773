package dev.suite.tokenguard;

import java.time.Instant;
import java.util.UUID;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import dev.suite.keys.Pem;

/**
 * Builds well-formed tokens with one signing key, for tests that then break them one way at a time. Shared
 * (test-jar) with the services' tests, which use the real dev signing key of the local stack.
 */
public record TokenFactory(PublicJsonWebKey key, String issuer, String userAudience, String serviceName) {

    public static PublicJsonWebKey newKey(String kid) {
        try {
            PublicJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A factory signing with a real key: the published JWK (for its kid) from a JWKS document, joined with
     * its private half read from a PKCS#8 PEM file (the local stack's dev signing key), for tokens of {@code issuer}
     * (the auth service's URL).
     */
    public static TokenFactory withRealKey(String jwksJson, java.nio.file.Path privateKeyPem, String issuer, String serviceName) {
        try {
            PublicJsonWebKey key = (PublicJsonWebKey) new org.jose4j.jwk.JsonWebKeySet(jwksJson).getJsonWebKeys().get(0);
            key.setPrivateKey(Pem.readPrivateKey(java.nio.file.Files.readString(privateKeyPem), "EC"));
            return new TokenFactory(key, issuer, "suite", serviceName);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build a token factory from the dev signing key", e);
        }
    }

    /** Claims of a valid user access token. */
    public JwtClaims userClaims() {
        JwtClaims claims = new JwtClaims();
        long now = Instant.now().getEpochSecond();
        claims.setIssuer(issuer);
        claims.setAudience(userAudience);
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("sid", UUID.randomUUID().toString());
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setNotBefore(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 300));
        claims.setStringListClaim("groups", "user");
        return claims;
    }

    public String sign(JwtClaims claims) {
        return sign(claims, key, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
    }

    public String sign(JwtClaims claims, PublicJsonWebKey with, String algorithm, String typ) {
        return signPayload(claims.toJson(), with, algorithm, typ);
    }

    public String signPayload(String payload, PublicJsonWebKey with, String algorithm, String typ) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setKey(with.getPrivateKey());
        jws.setKeyIdHeaderValue(with.getKeyId());
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
