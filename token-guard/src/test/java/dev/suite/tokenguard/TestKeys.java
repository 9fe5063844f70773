package dev.suite.tokenguard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/**
 * The signing side of token-guard's own tests: key pairs whose public halves are served over HTTP at
 * {@code /test-jwks}, as the auth service's JWKS endpoint does, so token-guard's real remote source fetches them.
 */
@Path("/test-jwks")
public class TestKeys {

    static final List<PublicJsonWebKey> PUBLISHED = new CopyOnWriteArrayList<>();
    static final AtomicInteger FETCHES = new AtomicInteger();
    /** While true, the endpoint answers 503, as the auth service does while its database is away. */
    static volatile boolean UNAVAILABLE;
    static final PublicJsonWebKey SIGNING = TokenFactory.newKey("test-key-1");
    static final TokenFactory FACTORY = new TokenFactory(SIGNING, "https://auth.suite.local", "suite", "probe-service");

    static {
        PUBLISHED.add(SIGNING);
    }

    @GET
    @Produces("application/json")
    public String jwks() {
        FETCHES.incrementAndGet();
        if (UNAVAILABLE) {
            throw new jakarta.ws.rs.ServiceUnavailableException();
        }
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
        return TokenFactory.newKey(kid);
    }

    static org.jose4j.jwt.JwtClaims userClaims() {
        return FACTORY.userClaims();
    }

    static String sign(org.jose4j.jwt.JwtClaims claims) {
        return FACTORY.sign(claims);
    }

    static String sign(org.jose4j.jwt.JwtClaims claims, PublicJsonWebKey key, String algorithm, String typ) {
        return FACTORY.sign(claims, key, algorithm, typ);
    }
}
