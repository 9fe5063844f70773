package dev.suite.auth.attacks;

import static dev.suite.auth.AuthClient.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
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
 * A check and a change of the same account racing each other: a sign-in with the old password that is still
 * hashing when the owner changes the password must not end up with a session that outlives the change (the change
 * ends every other session; a session opened just after that would have survived it).
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class CheckAndChangeRaceTest {

    private static final String NEW_PASSWORD = "saffron-lighthouse-keeper-31";

    @Test
    void noSessionOpenedWithTheOldPasswordOutlivesAPasswordChange() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 12; round++) {
                String email = AuthClient.newEmail();
                AuthClient.register(email, PASSWORD, "Racer").then().statusCode(AuthClient.REGISTERED);
                String owner = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath().getString("accessToken");

                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<Response> attacker = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return AuthClient.login(email, PASSWORD);
                }, pool);
                CompletableFuture<Response> change = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return given().auth().oauth2(owner).contentType(ContentType.JSON)
                            .body(Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)).post("/password");
                }, pool);

                assertThat(change.get().statusCode()).isEqualTo(204);
                Response login = attacker.get();
                assertThat(login.statusCode()).isIn(200, 401);
                if (login.statusCode() == 200) {
                    AuthClient.refresh(login.jsonPath().getString("refreshToken")).then().statusCode(401);
                }
                AuthClient.login(email, PASSWORD).then().statusCode(401);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
