package dev.suite.auth.attacks;

import static dev.suite.auth.AuthClient.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Invariants 5 and 6 under a full hashing pool (one thread, one queue slot, a real bcrypt cost), found by an attack
 * review: a guess was counted before hashing and kept when the pool refused it, so a flood that fills the pool
 * turned the owner's own retries into failures that locked her device; and a locked session still bought pool
 * time for the strength estimate of its new password, so one account's sessions could starve every login.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
@TestProfile(HashingPoolFloodTest.SmallPool.class)
class HashingPoolFloodTest {

    public static class SmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A lock that outlasts the flood: a guess let through when it expired would take the pool back for a moment.
            return Map.of("auth.password.pool.threads", "1", "auth.password.pool.queue", "1", "auth.password.bcrypt-cost", "10",
                    "auth.login-throttle.base-delay", "PT30S");
        }
    }

    @Test
    void aFloodThatFillsThePoolNeverLocksTheOwnersKnownDevice() throws Exception {
        String alice = AuthClient.newEmail();
        AuthClient.register(alice, PASSWORD, "Alice").then().statusCode(AuthClient.REGISTERED);
        String browser = AuthClient.newClientAddress();
        String device = AuthClient.loginFrom(browser, alice, PASSWORD, null).then().statusCode(200).extract().jsonPath().getString("deviceToken");

        List<Integer> during = new ArrayList<>();
        flood(() -> AuthClient.login(AuthClient.newEmail(), "whatever guess").statusCode(), () -> {
            for (int i = 0; i < 12; i++) { // the right password, from her known device, while the pool is full
                during.add(AuthClient.loginFrom(browser, alice, PASSWORD, device).statusCode());
                sleep(100);
            }
        });
        assertThat(during).as("busy (503) or signed in, never throttled for guesses that were not tried")
                .allMatch(status -> status == 200 || status == 503);
        AuthClient.loginFrom(browser, alice, PASSWORD, device).then().statusCode(200);
    }

    @Test
    void aLockedSessionCannotTakeThePoolFromOtherLogins() throws Exception {
        String mallory = AuthClient.signedIn().getString("accessToken");
        String strong = "violet otter marmalade quartz lantern meadow harbour kestrel orchard tangerine walrus gazebo";
        for (int i = 0; i < 6; i++) { // locks the session's guesses
            change(mallory, "wrong " + i, strong);
        }
        String victim = AuthClient.newEmail();
        AuthClient.register(victim, PASSWORD, "Victim").then().statusCode(AuthClient.REGISTERED);

        List<Integer> victims = new ArrayList<>();
        flood(() -> change(mallory, "wrong", strong), () -> {
            for (int i = 0; i < 10; i++) {
                victims.add(AuthClient.login(victim, PASSWORD).statusCode());
            }
        });
        assertThat(victims).as("the locked session's flood costs the pool nothing").containsOnly(200);
    }

    private static int change(String session, String current, String next) {
        return given().auth().oauth2(session).contentType("application/json")
                .body(Map.of("currentPassword", current, "newPassword", next)).post("/password").statusCode();
    }

    /** Runs {@code attack} on 6 threads in a loop while {@code meanwhile} runs, then stops them. */
    private static void flood(java.util.function.IntSupplier attack, Runnable meanwhile) throws InterruptedException {
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService attackers = Executors.newFixedThreadPool(6);
        for (int t = 0; t < 6; t++) {
            attackers.submit(() -> {
                while (flooding.get()) {
                    attack.getAsInt();
                }
            });
        }
        try {
            Thread.sleep(500);
            meanwhile.run();
        } finally {
            flooding.set(false);
            attackers.shutdown();
            attackers.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
