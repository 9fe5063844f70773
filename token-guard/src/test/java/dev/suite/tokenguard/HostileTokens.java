package dev.suite.tokenguard;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import java.util.List;

/**
 * The hostile-token corpus: named attacks, each one valid token broken in one way. Every service must answer
 * each with 401. Shared (test-jar): token-guard replays it with its test key, the services with the real dev
 * signing key, so "valid except for one thing" holds against the real verifier configuration.
 */
public final class HostileTokens {

    /** One attack: its name and how to make its token. */
    public record Attack(String name, Supplier<String> token) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final TokenFactory f;

    public HostileTokens(TokenFactory factory) {
        this.f = factory;
    }

    public List<Attack> all() {
        return List.of(
                attack("alg none, unsigned", () -> unsigned("none", f.userClaims())),
                attack("alg None, mixed case", () -> unsigned("None", f.userClaims())),
                attack("HS256 signed with the published public key", this::hmacWithPublicKey),
                attack("HS256 signed with a guessed secret", () -> hmac("secret".repeat(8))),
                attack("stripped signature", () -> stripSignature(f.sign(f.userClaims()))),
                attack("tampered payload, original signature", this::tamperedPayload),
                attack("tampered header kid, original signature", this::tamperedHeader),
                attack("unknown kid", () -> f.sign(f.userClaims(), TokenFactory.newKey("nobody-knows-me"),
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt")),
                attack("absent kid", this::withoutKid),
                attack("attacker key presented under a known kid", this::attackerKeyKnownKid),
                attack("attacker key embedded in a jwk header", this::embeddedJwk),
                attack("RS256 with attacker RSA key and known kid", this::rsaAttacker),
                attack("expired", () -> f.sign(with(c -> {
                    c.setIssuedAt(ago(400));
                    c.setNotBefore(ago(400));
                    c.setExpirationTime(ago(100));
                }))),
                attack("expired just beyond the clock skew", () -> f.sign(with(c -> {
                    c.setIssuedAt(ago(300));
                    c.setNotBefore(ago(300));
                    c.setExpirationTime(ago(31));
                }))),
                attack("not valid yet (nbf in the future)", () -> f.sign(with(c -> c.setNotBefore(ago(-120))))),
                attack("issued in the future", () -> f.sign(with(c -> {
                    c.setIssuedAt(ago(-120));
                    c.setExpirationTime(ago(-300));
                }))),
                attack("wrong issuer", () -> f.sign(with(c -> c.setIssuer("https://evil.example")))),
                attack("missing issuer", () -> f.sign(with(c -> c.unsetClaim("iss")))),
                attack("wrong audience", () -> f.sign(with(c -> c.setAudience("another-suite")))),
                attack("missing audience", () -> f.sign(with(c -> c.unsetClaim("aud")))),
                attack("wrong typ (plain JWT)", () -> f.sign(f.userClaims(), f.key(),
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "JWT")),
                attack("missing typ", () -> f.sign(f.userClaims(), f.key(),
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, null)),
                attack("service token with the user audience", () -> f.sign(f.userClaims(), f.key(),
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "svc+jwt")),
                attack("service token for another service", () -> f.sign(with(c -> c.setAudience("some-other-service")),
                        f.key(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "svc+jwt")),
                attack("user token carrying a service audience", () -> f.sign(with(c -> c.setAudience(f.serviceName())))),
                attack("missing exp", () -> f.sign(with(c -> c.unsetClaim("exp")))),
                attack("missing jti", () -> f.sign(with(c -> c.unsetClaim("jti")))),
                attack("missing sub", () -> f.sign(with(c -> c.unsetClaim("sub")))),
                attack("user token without session id", () -> f.sign(with(c -> c.unsetClaim("sid")))),
                attack("lifetime beyond the maximum", () -> f.sign(with(c -> c.setExpirationTime(ago(-86_400))))),
                attack("huge header", () -> f.sign(f.userClaims(), f.key(),
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt" + " ".repeat(9000))),
                attack("header is not JSON", () -> b64("not json") + "." + b64(f.userClaims().toJson()) + ".c2ln"),
                attack("payload is not JSON", () -> f.signPayload("not json", f.key(),
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt")),
                attack("segments are not base64url", () -> "%%%.***.$$$"),
                attack("two segments only", () -> b64("{\"alg\":\"ES256\"}") + "." + b64("{}")),
                attack("five segments (JWE shape)", () -> "a.b.c.d.e"),
                attack("duplicate sub claim", this::duplicateClaims),
                attack("nested JWT", this::nested),
                attack("ES384 not in the allowed algorithms", this::es384),
                attack("empty bearer", () -> ""),
                attack("garbage", () -> "Zm9vYmFy"));
    }

    private static Attack attack(String name, Supplier<String> token) {
        return new Attack(name, token);
    }

    interface ClaimsChange {
        void apply(JwtClaims claims) throws Exception;
    }

    JwtClaims with(ClaimsChange change) {
        JwtClaims claims = f.userClaims();
        try {
            change.apply(claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return claims;
    }

    public static NumericDate ago(long seconds) {
        return NumericDate.fromSeconds(Instant.now().getEpochSecond() - seconds);
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    String unsigned(String alg, JwtClaims claims) {
        return b64("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"test-key-1\"}") + "." + b64(claims.toJson()) + ".";
    }

    String hmacWithPublicKey() {
        return hmacSigned(f.key().toJson().getBytes(StandardCharsets.UTF_8));
    }

    String hmac(String secret) {
        return hmacSigned(secret.getBytes(StandardCharsets.UTF_8));
    }

    private String hmacSigned(byte[] secret) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(f.userClaims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue(f.key().getKeyId());
        jws.setHeader("typ", "at+jwt");
        jws.setKey(new HmacKey(secret));
        jws.setDoKeyValidation(false);
        return compact(jws);
    }

    static String stripSignature(String token) {
        return token.substring(0, token.lastIndexOf('.') + 1);
    }

    String tamperedPayload() {
        String[] parts = f.sign(f.userClaims()).split("\\.");
        JwtClaims other = f.userClaims();
        other.setStringListClaim("groups", "user", "admin");
        return parts[0] + "." + b64(other.toJson()) + "." + parts[2];
    }

    String tamperedHeader() {
        String[] parts = f.sign(f.userClaims()).split("\\.");
        return b64("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"test-key-2\"}") + "." + parts[1] + "." + parts[2];
    }

    String withoutKid() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(f.userClaims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setHeader("typ", "at+jwt");
        jws.setKey(f.key().getPrivateKey());
        return compact(jws);
    }

    String attackerKeyKnownKid() {
        PublicJsonWebKey attacker = TokenFactory.newKey(f.key().getKeyId());
        return f.sign(f.userClaims(), attacker, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
    }

    String embeddedJwk() {
        PublicJsonWebKey attacker = TokenFactory.newKey("attacker");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(f.userClaims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setHeader("typ", "at+jwt");
        jws.setJwkHeader(attacker);
        jws.setKey(attacker.getPrivateKey());
        return compact(jws);
    }

    String rsaAttacker() {
        try {
            PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
            rsa.setKeyId(f.key().getKeyId());
            return f.sign(f.userClaims(), rsa, AlgorithmIdentifiers.RSA_USING_SHA256, "at+jwt");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    String duplicateClaims() {
        JwtClaims claims = f.userClaims();
        String json = claims.toJson();
        String duplicated = json.substring(0, json.length() - 1) + ",\"sub\":\"someone-else\"}";
        return f.signPayload(duplicated, f.key(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
    }

    String nested() {
        String inner = f.sign(f.userClaims());
        JsonWebSignature outer = new JsonWebSignature();
        outer.setPayload(inner);
        outer.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        outer.setKeyIdHeaderValue(f.key().getKeyId());
        outer.setHeader("typ", "at+jwt");
        outer.setContentTypeHeaderValue("JWT");
        outer.setKey(f.key().getPrivateKey());
        return compact(outer);
    }

    String es384() {
        try {
            PublicJsonWebKey p384 = org.jose4j.jwk.EcJwkGenerator.generateJwk(org.jose4j.keys.EllipticCurves.P384);
            p384.setKeyId(f.key().getKeyId());
            return f.sign(f.userClaims(), p384, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, "at+jwt");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String compact(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
