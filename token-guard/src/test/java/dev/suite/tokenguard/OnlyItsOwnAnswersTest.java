package dev.suite.tokenguard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * token-guard answers its own failures (401 for a token that does not verify, 503 when revocation cannot be checked:
 * RevocationTest) and nothing else: the 404s, 405s and 500s of the application that adds it stay the application's
 * (here Quarkus's defaults, as no mapper of the suite's services is on this class path), never problem+json of ours.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class OnlyItsOwnAnswersTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void aTokenThatDoesNotVerifyGetsTokenGuardsProblem() {
        given().auth().oauth2("not-a-token").get("/probe").then().statusCode(401)
                .contentType(PROBLEM_JSON).body("status", equalTo(401));
    }

    @Test
    void theApplicationsOwn404And405AreLeftAlone() {
        given().get("/nowhere").then().statusCode(404).header("Content-Type", not(startsWith(PROBLEM_JSON)));
        given().post("/probe/public").then().statusCode(405).header("Content-Type", not(startsWith(PROBLEM_JSON)));
    }

    @Test
    void theApplicationsOwnFailureIsLeftAlone() {
        given().get("/probe/broken").then().statusCode(500).header("Content-Type", not(startsWith(PROBLEM_JSON)));
    }
}
