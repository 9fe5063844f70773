package dev.suite.tokenguard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Unknown kids trigger a refetch at most once per interval; a newly published key is picked up. */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class JwksRefetchTest {

    @Test
    void floodOfBogusKidsCausesAtMostOneFetchPerIntervalAndANewKeyIsAccepted() throws InterruptedException {
        given().auth().oauth2(TestKeys.sign(TestKeys.userClaims())).get("/probe").then().statusCode(200);
        Thread.sleep(2100); // past the test's min-refetch-interval (2 s)
        int before = TestKeys.FETCHES.get();
        for (int i = 0; i < 25; i++) {
            String bogus = TestKeys.sign(TestKeys.userClaims(), TestKeys.newKey("bogus-" + i),
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
            given().auth().oauth2(bogus).get("/probe").then().statusCode(401);
        }
        assertThat(TestKeys.FETCHES.get() - before).isLessThanOrEqualTo(1);

        PublicJsonWebKey next = TestKeys.newKey("test-key-next");
        TestKeys.PUBLISHED.add(next);
        try {
            Thread.sleep(2100);
            String signedWithNext = TestKeys.sign(TestKeys.userClaims(), next,
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
            given().auth().oauth2(signedWithNext).get("/probe").then().statusCode(200);
            given().auth().oauth2(TestKeys.sign(TestKeys.userClaims())).get("/probe").then().statusCode(200);
        } finally {
            TestKeys.PUBLISHED.remove(next);
        }
    }
}
