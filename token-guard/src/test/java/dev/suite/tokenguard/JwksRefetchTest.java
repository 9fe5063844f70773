package dev.suite.tokenguard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

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
        List<String> bogus = new ArrayList<>();
        for (int i = 0; i < 25; i++) { // signed first: a new EC key each, slow on a loaded machine
            bogus.add(TestKeys.sign(TestKeys.userClaims(), TestKeys.newKey("bogus-" + i),
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt"));
        }
        int before = TestKeys.FETCHES.get();
        long started = System.nanoTime();
        bogus.forEach(token -> given().auth().oauth2(token).get("/probe").then().statusCode(401));
        long intervals = (System.nanoTime() - started) / 2_000_000_000L; // the flood may span more than one interval
        assertThat(TestKeys.FETCHES.get() - before).as("fetches for 25 unknown kids").isLessThanOrEqualTo(1 + (int) intervals);

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

    /**
     * Found in the PostgreSQL switchover rehearsal: a verifier whose key fetch failed (the auth service answering 503
     * while its database moved) refused every valid token of a key it did not hold yet with 401, for its whole refetch
     * interval, and a 401 signs a browser out. Keys that cannot be fetched are an outage (503, fail closed), not a
     * verdict on the token; once the keys come back, the token passes without waiting out the interval.
     */
    @Test
    void aKeyThatCannotBeFetchedIsA503NotA401AndTheNextFetchComesSoon() throws InterruptedException {
        PublicJsonWebKey next = TestKeys.newKey("test-key-while-away");
        String token = TestKeys.sign(TestKeys.userClaims(), next, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "at+jwt");
        Thread.sleep(2100); // past the min-refetch-interval of the other test's fetches
        TestKeys.PUBLISHED.add(next);
        TestKeys.UNAVAILABLE = true;
        try {
            given().auth().oauth2(token).get("/probe").then().statusCode(503).header("Retry-After", "1");
            given().auth().oauth2(token).get("/probe").then().statusCode(503); // within the interval: still unknown, not refused
            TestKeys.UNAVAILABLE = false;
            Thread.sleep(1100); // a failed fetch is retried after a second, not after the 2 s interval
            given().auth().oauth2(token).get("/probe").then().statusCode(200);
        } finally {
            TestKeys.UNAVAILABLE = false;
            TestKeys.PUBLISHED.remove(next);
        }
    }
}
