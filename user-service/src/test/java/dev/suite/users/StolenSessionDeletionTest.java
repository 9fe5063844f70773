package dev.suite.users;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Invariant 6 for account deletion: a stolen session alone deleted the account and every private note with one
 * DELETE /users/me. Deleting now takes the owner's password, checked by the auth service like a login.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
@QuarkusTestResource(TestServices.class)
class StolenSessionDeletionTest {

    @Test
    void aStolenSessionCannotDeleteTheAccountWithoutThePassword() {
        JsonPath victim = Accounts.newUser("Deletion Victim");
        String stolen = victim.getString("accessToken");
        given().auth().oauth2(stolen).contentType(ContentType.JSON).body(Map.of("privateNotes", "still mine"))
                .patch("/users/me").then().statusCode(200);

        given().auth().oauth2(stolen).delete("/users/me").then().statusCode(400).contentType("application/problem+json");
        Accounts.deleteMe(stolen, "a guess at the victim's password").then().statusCode(403)
                .contentType("application/problem+json");

        given().auth().oauth2(stolen).get("/users/me").then().statusCode(200).body("privateNotes", equalTo("still mine"));
        Accounts.deleteMe(stolen, Accounts.PASSWORD).then().statusCode(204);
        given().auth().oauth2(stolen).get("/users/me").then().statusCode(401);
    }

    @Test
    void passwordGuessesThroughDeletionAreThrottledLikeLogins() {
        JsonPath victim = Accounts.newUser("Guessed At");
        String stolen = victim.getString("accessToken");
        for (int i = 0; i < 5; i++) {
            Accounts.deleteMe(stolen, "guess " + i).then().statusCode(403);
        }
        Accounts.deleteMe(stolen, Accounts.PASSWORD).then().statusCode(429);
        given().auth().oauth2(stolen).get("/users/me").then().statusCode(200);
    }
}
