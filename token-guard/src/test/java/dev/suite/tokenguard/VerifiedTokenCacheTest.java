package dev.suite.tokenguard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Remembering verified tokens must never widen what is accepted: a token is only as good as its key, its
 * lifetime and its revocation state, whether it came from the cache or not. (Revocation of a cached token:
 * RevocationTest, whose tokens are accepted once before they are revoked.)
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class VerifiedTokenCacheTest {

    @Test
    void aWithdrawnKeyStopsTheTokensItSignedEvenAfterTheyWereAccepted() throws InterruptedException {
        PublicJsonWebKey doomed = TestKeys.newKey("test-key-doomed");
        TestKeys.PUBLISHED.add(doomed);
        try {
            Thread.sleep(2100); // past the test's min-refetch-interval: the next unknown kid refetches
            String token = TestKeys.sign(TestKeys.userClaims(), doomed, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
            given().auth().oauth2(token).get("/probe").then().statusCode(200);
            given().auth().oauth2(token).get("/probe").then().statusCode(200); // now served from the cache

            TestKeys.PUBLISHED.remove(doomed);
            Thread.sleep(2100);
            String unknownKid = TestKeys.sign(TestKeys.userClaims(), TestKeys.newKey("test-key-unknown"),
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
            given().auth().oauth2(unknownKid).get("/probe").then().statusCode(401); // makes the cache refetch the set

            given().auth().oauth2(token).get("/probe").then().statusCode(401);
            given().auth().oauth2(TestKeys.sign(TestKeys.userClaims())).get("/probe").then().statusCode(200); // control
        } finally {
            TestKeys.PUBLISHED.remove(doomed);
        }
    }

    @Test
    void anEntryEndsWithItsTokensLifetimePlusTheSkew() {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, 30);
        cache.remember("live", token(Instant.now().plusSeconds(60)), "k");
        cache.remember("within-skew", token(Instant.now().minusSeconds(10)), "k");
        cache.remember("expired", token(Instant.now().minusSeconds(31)), "k");

        assertThat(cache.find("live")).isNotNull();
        assertThat(cache.find("within-skew")).isNotNull();
        assertThat(cache.find("expired")).isNull();
        assertThat(cache.find("never-seen")).isNull();
    }

    @Test
    void sizeZeroRemembersNothing() {
        VerifiedTokenCache off = new VerifiedTokenCache(0, 30);
        off.remember("t", token(Instant.now().plusSeconds(60)), "k");
        assertThat(off.find("t")).isNull();
    }

    @Test
    void theProdProfileRefusesToRunWithoutTheRevocationCheck() {
        assertThatThrownBy(() -> RevocationStore.refuseDisabledInProd(false, List.of("prod")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("prod profile refuses");
        RevocationStore.refuseDisabledInProd(true, List.of("prod"));
        RevocationStore.refuseDisabledInProd(false, List.of("dev"));
    }

    private static VerifiedToken token(Instant expiresAt) {
        return new VerifiedToken("sub", null, null, "sid", "jti", VerifiedToken.USER_ACCESS, Set.of("user"),
                expiresAt.minusSeconds(600), expiresAt, "raw");
    }
}
