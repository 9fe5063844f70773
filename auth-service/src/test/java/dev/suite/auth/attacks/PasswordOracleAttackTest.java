package dev.suite.auth.attacks;

import static dev.suite.auth.AuthClient.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Invariants 5 and 6 for the password change: with a stolen session, POST /password checked currentPassword
 * without any throttle (403 wrong, 204 right: an oracle at the gateway's general rate, each guess a bcrypt hash).
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class PasswordOracleAttackTest {

    private static final String NEW_PASSWORD = "glacier-pumpkin-orchestra-77";

    @Test
    void aStolenSessionGetsAFewGuessesThenBacksOffEvenForTheRightPassword() {
        String session = AuthClient.signedIn().getString("accessToken");
        for (int i = 0; i < 5; i++) {
            change(session, "wrong current password " + i).then().statusCode(403);
        }
        change(session, "wrong current password 6").then().statusCode(429);
        change(session, PASSWORD).then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void parallelGuessesAreCountedBeforeHashingSoABurstGetsNoMore() throws Exception {
        String session = AuthClient.signedIn().getString("accessToken");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Integer>> guesses = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String guess = "burst guess " + i;
                guesses.add(CompletableFuture.supplyAsync(() -> change(session, guess).statusCode(), pool));
            }
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<Integer> guess : guesses) {
                statuses.add(guess.get());
            }
            assertThat(statuses).containsOnly(403, 429);
            assertThat(statuses.stream().filter(status -> status == 403).count()).isLessThanOrEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theOwnersSessionIsNotLockedByGuessesAtHerEmailFromElsewhere() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Owner").then().statusCode(AuthClient.REGISTERED);
        String session = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath().getString("accessToken");
        for (int i = 0; i < 8; i++) {
            AuthClient.login(email, "attacker guess " + i);
        }
        change(session, PASSWORD).then().statusCode(204);
    }

    @Test
    void theNewPasswordMustDifferFromTheCurrentOne() {
        String session = AuthClient.signedIn().getString("accessToken");
        given().auth().oauth2(session).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", PASSWORD, "newPassword", PASSWORD))
                .post("/password").then().statusCode(400).contentType("application/problem+json");
    }

    private static Response change(String session, String currentPassword) {
        return given().auth().oauth2(session).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", currentPassword, "newPassword", NEW_PASSWORD)).post("/password");
    }
}
