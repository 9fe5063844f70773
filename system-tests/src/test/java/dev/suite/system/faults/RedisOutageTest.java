package dev.suite.system.faults;

import static dev.suite.system.support.Browser.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.localstack.LocalRedis;
import dev.suite.system.support.Answer;
import dev.suite.system.support.Background;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;
import io.vertx.core.json.JsonObject;

/**
 * Redis down while traffic runs: revocation cannot be checked and rate-limit state cannot be recorded, so every
 * authenticated request and every login fails closed with a quick 503 (never a 2xx for a revoked token, never a hang);
 * when Redis is back, everything works again within 5 s, with nothing restarted and the revocation still in force.
 * (user-service's TokenTrustTest covers the same at the user service alone.)
 */
class RedisOutageTest {

    private final RunningSuite suite = RunningSuite.shared();

    @Test
    void failsClosedWhileDownAndRecoversWithinFiveSecondsWithRevocationsIntact() {
        Browser ann = Browser.signedUp(suite.gatewayUrl(), "redis-ann");
        Browser bob = Browser.signedUp(suite.gatewayUrl(), "redis-bob");
        String revoked = bob.cookie(Browser.ACCESS);
        expect(bob.logout(), 204);
        expect(bearer(revoked), 401);
        LocalRedis redis = suite.stack().redis();

        long recoveryMillis;
        try (Background traffic = new Background()
                .repeat("reads", ann::me)
                .repeat("revoked", () -> bearer(revoked))
                .repeat("logins", () -> directLogin(ann.email(), Browser.PASSWORD))) {
            Background.pause(500);
            redis.stop();
            try {
                Background.pause(300);
                assertUnavailable(ann.me());
                assertUnavailable(ann.patchMe(new JsonObject().put("bio", "never written")));
                assertUnavailable(bearer(revoked));
                // The auth service itself: no rate-limit state, no login, right or wrong password.
                assertUnavailable(directLogin(ann.email(), Browser.PASSWORD));
                assertUnavailable(directLogin(ann.email(), "a wrong but long passphrase"));
                Background.pause(2000);
            } finally {
                redis.start();
            }
            // Measured on the background reads: one client at a time at the user service (see MixedLoadTest).
            recoveryMillis = traffic.millisUntil("reads", 200, System.nanoTime(), 10_000);
            Background.pause(500);
            traffic.close();

            assertThat(traffic.outcomes("revoked")).as("a revoked token never gets a 2xx")
                    .allSatisfy(o -> assertThat(o.status()).isIn(401, 503));
            assertThat(traffic.outcomes("reads")).allSatisfy(o -> assertThat(o.status()).isIn(200, 503));
            assertThat(traffic.outcomes("logins")).allSatisfy(o -> assertThat(o.status()).isIn(200, 503));
            for (String name : List.of("reads", "revoked", "logins")) {
                assertThat(traffic.outcomes(name)).as(name).anyMatch(o -> o.status() == 503)
                        .allSatisfy(o -> assertThat(o.millis()).as("never a hang").isLessThan(suite.neverAHangMillis()));
            }
            System.out.printf("[redis-outage] %d background requests; back to 200 %d ms after Redis restarted%n",
                    traffic.outcomes("reads").size() + traffic.outcomes("revoked").size() + traffic.outcomes("logins").size(),
                    recoveryMillis);
        }
        assertThat(recoveryMillis).as("recovered within 5 s").isBetween(0L, 5_000L);
        expect(ann.patchMe(new JsonObject().put("bio", "after the outage")), 200);
        expect(bearer(revoked), 401);
        expect(directLogin(ann.email(), Browser.PASSWORD), 200);
    }

    private Answer bearer(String token) {
        return Http.send("GET", suite.gatewayUrl() + "/api/users/me", Map.of("Authorization", "Bearer " + token), (String) null);
    }

    private Answer directLogin(String email, String password) {
        return Http.send("POST", suite.authUrl() + "/login", Map.of(),
                new JsonObject().put("email", email).put("password", password).encode());
    }

    private void assertUnavailable(Answer answer) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(503);
        assertThat(answer.isProblem()).as("%s", answer).isTrue();
        assertThat(answer.millis()).as("never a hang: %s", answer).isLessThan(suite.neverAHangMillis());
    }
}
