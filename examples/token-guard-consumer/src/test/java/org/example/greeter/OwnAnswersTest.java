package org.example.greeter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * token-guard on the class path answers only its own failures: a token that does not verify gets its 401
 * problem+json; the greeter's own 404s and its own mapper (GreeterErrors) answer as the greeter wrote them.
 */
@QuarkusTest
@TestProfile(NoSuiteNeeded.class)
class OwnAnswersTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void anUnknownPathIsTheGreetersOwn404() {
        given().get("/nowhere").then().statusCode(404).header("Content-Type", not(startsWith(PROBLEM_JSON)));
        given().delete("/greeting/in/en").then().statusCode(405).header("Content-Type", not(startsWith(PROBLEM_JSON)));
    }

    @Test
    void theGreetersOwnMapperAnswersAsWritten() {
        given().get("/greeting/in/fr").then().statusCode(200).body("word", equalTo("Bonjour"));
        given().get("/greeting/in/xx").then().statusCode(404).contentType("text/plain")
                .body(equalTo("The greeter speaks de, en, fr."));
    }

    @Test
    void aTokenThatIsNoTokenGetsTokenGuardsProblem() {
        given().auth().oauth2("not-a-token").get("/greeting").then().statusCode(401)
                .contentType(PROBLEM_JSON).body("status", equalTo(401));
        given().get("/greeting").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }
}
