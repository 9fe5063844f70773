package dev.suite.tokenguard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.localstack.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** DESIGN.md invariant 1: every one of these named attacks gets a 401 and a body that says nothing about why. */
@QuarkusTest
@QuarkusTestResource(LocalStack.class)
class HostileTokenTest {

    static Stream<Arguments> attacks() {
        return Stream.of(
                attack("alg none, unsigned", () -> unsigned("none", TestKeys.userClaims())),
                attack("alg None, mixed case", () -> unsigned("None", TestKeys.userClaims())),
                attack("HS256 signed with the published public key", HostileTokenTest::hmacWithPublicKey),
                attack("HS256 signed with a guessed secret", () -> hmac("secret".repeat(8))),
                attack("stripped signature", () -> stripSignature(TestKeys.sign(TestKeys.userClaims()))),
                attack("tampered payload, original signature", HostileTokenTest::tamperedPayload),
                attack("tampered header kid, original signature", HostileTokenTest::tamperedHeader),
                attack("unknown kid", () -> TestKeys.sign(TestKeys.userClaims(), TestKeys.newKey("nobody-knows-me"),
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt")),
                attack("absent kid", HostileTokenTest::withoutKid),
                attack("attacker key presented under a known kid", HostileTokenTest::attackerKeyKnownKid),
                attack("attacker key embedded in a jwk header", HostileTokenTest::embeddedJwk),
                attack("RS256 with attacker RSA key and known kid", HostileTokenTest::rsaAttacker),
                attack("expired", () -> TestKeys.sign(with(c -> {
                    c.setIssuedAt(ago(400));
                    c.setNotBefore(ago(400));
                    c.setExpirationTime(ago(100));
                }))),
                attack("expired just beyond the clock skew", () -> TestKeys.sign(with(c -> {
                    c.setIssuedAt(ago(300));
                    c.setNotBefore(ago(300));
                    c.setExpirationTime(ago(31));
                }))),
                attack("not valid yet (nbf in the future)", () -> TestKeys.sign(with(c -> c.setNotBefore(ago(-120))))),
                attack("issued in the future", () -> TestKeys.sign(with(c -> {
                    c.setIssuedAt(ago(-120));
                    c.setExpirationTime(ago(-300));
                }))),
                attack("wrong issuer", () -> TestKeys.sign(with(c -> c.setIssuer("https://evil.example")))),
                attack("missing issuer", () -> TestKeys.sign(with(c -> c.unsetClaim("iss")))),
                attack("wrong audience", () -> TestKeys.sign(with(c -> c.setAudience("another-suite")))),
                attack("missing audience", () -> TestKeys.sign(with(c -> c.unsetClaim("aud")))),
                attack("wrong typ (plain JWT)", () -> TestKeys.sign(TestKeys.userClaims(), TestKeys.SIGNING,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "JWT")),
                attack("missing typ", () -> TestKeys.sign(TestKeys.userClaims(), TestKeys.SIGNING,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, null)),
                attack("service token with the user audience", () -> TestKeys.sign(TestKeys.userClaims(), TestKeys.SIGNING,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "svc+jwt")),
                attack("service token for another service", () -> TestKeys.sign(with(c -> c.setAudience("user-service")),
                        TestKeys.SIGNING, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "svc+jwt")),
                attack("user token carrying a service audience", () -> TestKeys.sign(with(c -> c.setAudience("probe-service")))),
                attack("missing exp", () -> TestKeys.sign(with(c -> c.unsetClaim("exp")))),
                attack("missing jti", () -> TestKeys.sign(with(c -> c.unsetClaim("jti")))),
                attack("missing sub", () -> TestKeys.sign(with(c -> c.unsetClaim("sub")))),
                attack("user token without session id", () -> TestKeys.sign(with(c -> c.unsetClaim("sid")))),
                attack("lifetime beyond the maximum", () -> TestKeys.sign(with(c -> c.setExpirationTime(ago(-86_400))))),
                attack("huge header", () -> TestKeys.sign(TestKeys.userClaims(), TestKeys.SIGNING,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt" + " ".repeat(9000))),
                attack("header is not JSON", () -> b64("not json") + "." + b64(TestKeys.userClaims().toJson()) + ".c2ln"),
                attack("payload is not JSON", () -> TestKeys.signPayload("not json", TestKeys.SIGNING,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt")),
                attack("segments are not base64url", () -> "%%%.***.$$$"),
                attack("two segments only", () -> b64("{\"alg\":\"ES256\"}") + "." + b64("{}")),
                attack("five segments (JWE shape)", () -> "a.b.c.d.e"),
                attack("duplicate sub claim", HostileTokenTest::duplicateClaims),
                attack("nested JWT", HostileTokenTest::nested),
                attack("ES384 not in the allowed algorithms", HostileTokenTest::es384),
                attack("empty bearer", () -> ""),
                attack("garbage", () -> "Zm9vYmFy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void hostileTokenIsRefused(String name, Supplier<String> token) {
        String value = token.get();
        given().header("Authorization", "Bearer " + value)
                .when().get("/probe")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body(not(containsString(value.isEmpty() ? "\u0000" : value)));
    }

    @Test
    void theCorpusHasAtLeastThirtyAttacks() {
        org.assertj.core.api.Assertions.assertThat(attacks().count()).isGreaterThanOrEqualTo(30);
    }

    @Test
    void theSameBuilderMakesAnAcceptedToken() {
        // The control: without the one change each attack makes, the token passes.
        given().header("Authorization", "Bearer " + TestKeys.sign(TestKeys.userClaims()))
                .when().get("/probe").then().statusCode(200).body("typ", equalTo("at+jwt"));
    }

    private static Arguments attack(String name, Supplier<String> token) {
        return Arguments.of(name, token);
    }

    interface ClaimsChange {
        void apply(JwtClaims claims) throws Exception;
    }

    static JwtClaims with(ClaimsChange change) {
        JwtClaims claims = TestKeys.userClaims();
        try {
            change.apply(claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return claims;
    }

    static NumericDate ago(long seconds) {
        return NumericDate.fromSeconds(Instant.now().getEpochSecond() - seconds);
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String unsigned(String alg, JwtClaims claims) {
        return b64("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"test-key-1\"}") + "." + b64(claims.toJson()) + ".";
    }

    static String hmacWithPublicKey() {
        return hmacSigned(TestKeys.SIGNING.toJson().getBytes(StandardCharsets.UTF_8));
    }

    static String hmac(String secret) {
        return hmacSigned(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String hmacSigned(byte[] secret) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(TestKeys.userClaims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue("test-key-1");
        jws.setHeader("typ", "at+jwt");
        jws.setKey(new HmacKey(secret));
        jws.setDoKeyValidation(false);
        return compact(jws);
    }

    static String stripSignature(String token) {
        return token.substring(0, token.lastIndexOf('.') + 1);
    }

    static String tamperedPayload() {
        String[] parts = TestKeys.sign(TestKeys.userClaims()).split("\\.");
        JwtClaims other = TestKeys.userClaims();
        other.setStringListClaim("groups", "user", "admin");
        return parts[0] + "." + b64(other.toJson()) + "." + parts[2];
    }

    static String tamperedHeader() {
        String[] parts = TestKeys.sign(TestKeys.userClaims()).split("\\.");
        return b64("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"test-key-2\"}") + "." + parts[1] + "." + parts[2];
    }

    static String withoutKid() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(TestKeys.userClaims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setHeader("typ", "at+jwt");
        jws.setKey(TestKeys.SIGNING.getPrivateKey());
        return compact(jws);
    }

    static String attackerKeyKnownKid() {
        PublicJsonWebKey attacker = TestKeys.newKey("test-key-1");
        return TestKeys.sign(TestKeys.userClaims(), attacker, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
    }

    static String embeddedJwk() {
        PublicJsonWebKey attacker = TestKeys.newKey("attacker");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(TestKeys.userClaims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setHeader("typ", "at+jwt");
        jws.setJwkHeader(attacker);
        jws.setKey(attacker.getPrivateKey());
        return compact(jws);
    }

    static String rsaAttacker() {
        try {
            PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
            rsa.setKeyId("test-key-1");
            return TestKeys.sign(TestKeys.userClaims(), rsa, AlgorithmIdentifiers.RSA_USING_SHA256, "at+jwt");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String duplicateClaims() {
        JwtClaims claims = TestKeys.userClaims();
        String json = claims.toJson();
        String duplicated = json.substring(0, json.length() - 1) + ",\"sub\":\"someone-else\"}";
        return TestKeys.signPayload(duplicated, TestKeys.SIGNING, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
    }

    static String nested() {
        String inner = TestKeys.sign(TestKeys.userClaims());
        JsonWebSignature outer = new JsonWebSignature();
        outer.setPayload(inner);
        outer.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        outer.setKeyIdHeaderValue("test-key-1");
        outer.setHeader("typ", "at+jwt");
        outer.setContentTypeHeaderValue("JWT");
        outer.setKey(TestKeys.SIGNING.getPrivateKey());
        return compact(outer);
    }

    static String es384() {
        try {
            PublicJsonWebKey p384 = org.jose4j.jwk.EcJwkGenerator.generateJwk(org.jose4j.keys.EllipticCurves.P384);
            p384.setKeyId("test-key-1");
            return TestKeys.sign(TestKeys.userClaims(), p384, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, "at+jwt");
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
