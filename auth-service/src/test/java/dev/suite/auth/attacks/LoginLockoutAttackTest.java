package dev.suite.auth.attacks;

import static dev.suite.auth.AuthClient.PASSWORD;
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

/**
 * Invariant 6: throttling that an attacker cannot turn against users. Behind the gateway every request comes from
 * the gateway's address, so a per-address counter keyed on the TCP peer locked every user out after 20 failures
 * from anywhere; and a per-account lock let anyone keep a known email locked with one guess per lock period.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class LoginLockoutAttackTest {

    @Test
    void failuresSpreadOverManyClientsNeverTurnAnotherClientsCorrectLoginInto429() {
        String victim = registered("Spread Victim");
        for (int i = 0; i < 30; i++) { // more than the per-address threshold (20), each from its own client
            AuthClient.login(AuthClient.newEmail(), "wrong guess number " + i).then().statusCode(401);
        }
        AuthClient.login(victim, PASSWORD).then().statusCode(200);
    }

    @Test
    void anAttackerHammeringAlicesEmailCannotStopHerKnownDeviceAndIsSlowedHimself() {
        String alice = registered("Alice");
        String alicesBrowser = AuthClient.newClientAddress();
        String device = AuthClient.loginFrom(alicesBrowser, alice, PASSWORD, null).then().statusCode(200)
                .extract().jsonPath().getString("deviceToken");
        assertThat(device).as("a successful sign-in hands the browser a device token").isNotBlank();

        List<Integer> attacker = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // from ever new addresses, as a botnet would
            attacker.add(AuthClient.login(alice, "guess " + i).statusCode());
        }
        assertThat(attacker).as("the attacker is slowed down").contains(429);
        assertThat(attacker.stream().filter(status -> status == 401).count()).as("guesses that reached a hash").isLessThanOrEqualTo(5);

        AuthClient.loginFrom(alicesBrowser, alice, PASSWORD, device).then().statusCode(200);
        AuthClient.login(alice, PASSWORD).then().statusCode(429); // an unknown client is still locked
    }

    @Test
    void aDeviceTokenCountsOnlyForItsOwnAccountAndOnlyAsIssued() {
        String alice = registered("Alice Two");
        String mallory = registered("Mallory");
        String malloryDevice = AuthClient.login(mallory, PASSWORD).then().statusCode(200).extract().jsonPath().getString("deviceToken");
        lockedForAtLeast(alice, 4); // the four logins below all fall within it, also on a busy machine
        // Mallory's own device token, or a forged one, does not make him a known device of Alice's.
        String forged = malloryDevice.substring(0, malloryDevice.lastIndexOf('.') + 1) + "AAAA";
        for (String token : List.of(malloryDevice, forged, "dv1.x.99999999999.AAAA", "x".repeat(5000))) {
            AuthClient.loginFrom(AuthClient.newClientAddress(), alice, PASSWORD, token).then().statusCode(429);
        }
    }

    @Test
    void aKnownDeviceIsThrottledOnItsOwn() {
        String bob = registered("Bob");
        String browser = AuthClient.newClientAddress();
        String device = AuthClient.loginFrom(browser, bob, PASSWORD, null).then().statusCode(200).extract().jsonPath().getString("deviceToken");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(AuthClient.loginFrom(browser, bob, "wrong " + i, device).statusCode());
        }
        assertThat(statuses).startsWith(401, 401, 401, 401, 401).contains(429);
    }

    @Test
    void anIpv6Slash64CountsAsOneClient() {
        String victim = registered("Same Prefix");
        String prefix = AuthClient.newClientAddress().replace("::1", "::");
        for (int i = 1; i <= 20; i++) { // the per-address threshold, each guess from another address of one /64
            AuthClient.loginFrom(prefix + Integer.toHexString(i), AuthClient.newEmail(), "spray " + i, null).then().statusCode(401);
        }
        AuthClient.loginFrom(prefix + "beef", victim, PASSWORD, null).then().statusCode(429);
        AuthClient.loginFrom(AuthClient.newClientAddress(), victim, PASSWORD, null).then().statusCode(200);
    }

    @Test
    void aBurstOfParallelGuessesGetsNoMoreHashesThanTheThreshold() throws Exception {
        String carol = registered("Carol");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Integer>> guesses = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String guess = "parallel guess " + i;
                guesses.add(CompletableFuture.supplyAsync(() -> AuthClient.login(carol, guess).statusCode(), pool));
            }
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<Integer> guess : guesses) {
                statuses.add(guess.get());
            }
            // 503 is no verdict either: on a loaded machine a bounded Redis call or the hashing queue may fail closed.
            assertThat(statuses).isSubsetOf(401, 429, 503).contains(429);
            assertThat(statuses.stream().filter(status -> status == 401).count())
                    .as("guesses that got a verdict: counted before hashing, so no more than the account threshold")
                    .isLessThanOrEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Wrong guesses at {@code email} from unknown clients until its lock (which doubles with each guess counted past the
     * threshold: 1 s, 2 s, 4 s, ...) has at least {@code seconds} left, waiting out each shorter one.
     */
    private static void lockedForAtLeast(String email, int seconds) {
        for (int i = 0; i < 20; i++) {
            io.restassured.response.Response answer = AuthClient.login(email, "guess " + i);
            if (answer.statusCode() == 429) {
                int left = Integer.parseInt(answer.header("Retry-After"));
                if (left >= seconds) {
                    return;
                }
                sleep(left * 1000L + 200);
            }
        }
        throw new AssertionError(email + " never got a lock of " + seconds + " s");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String registered(String name) {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, name).then().statusCode(AuthClient.REGISTERED);
        return email;
    }

}
