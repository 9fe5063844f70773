package dev.suite.system.faults;

import static dev.suite.system.support.Browser.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.system.support.Answer;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;
import io.vertx.core.json.JsonObject;

/**
 * The auth service down: tokens keep verifying from the JWKS the gateway and the user service cached, so reads (and
 * profile writes) go on; what needs the auth service (login, refresh, register) is a quick 503 the SPA can retry.
 * The gateway module's test covers reads with the auth service down; this one adds the user service called directly,
 * writes, refresh and register, the 503 contract and recovery without restarting anything else.
 */
class AuthServiceOutageTest {

    private final RunningSuite suite = RunningSuite.shared();

    @Test
    void tokensStillVerifyFromCachedKeysAndWhatNeedsTheAuthServiceIsAQuick503() {
        Browser kim = Browser.signedUp(suite.gatewayUrl(), "auth-outage");
        expect(kim.me(), 200); // both verifiers have fetched and cached the keys
        String access = kim.cookie(Browser.ACCESS);
        expect(Http.send("GET", suite.userUrl() + "/users/me", Map.of("Authorization", "Bearer " + access), (String) null), 200);

        suite.stop(RunningSuite.AUTH);
        try {
            expect(kim.me(), 200);
            expect(kim.patchMe(new JsonObject().put("bio", "written while the auth service is down")), 200);
            expect(Http.send("GET", suite.userUrl() + "/users/me", Map.of("Authorization", "Bearer " + access), (String) null), 200);

            Browser newcomer = new Browser(suite.gatewayUrl());
            expect(newcomer.csrf(), 200); // the gateway signs CSRF tokens itself
            for (Answer answer : new Answer[] { newcomer.login(kim.email(), Browser.PASSWORD), kim.refresh(),
                    newcomer.register("outage-" + UUID.randomUUID() + "@example.com", "Newcomer") }) {
                assertThat(answer.status()).as("%s", answer).isEqualTo(503);
                assertThat(answer.isProblem()).as("%s", answer).isTrue();
                assertThat(answer.header("Retry-After")).as("%s", answer).isPresent();
                assertThat(answer.millis()).as("never a hang: %s", answer).isLessThan(suite.neverAHangMillis());
                String correlationId = answer.json().getString("correlationId");
                assertThat(correlationId).as("every 5xx names its log line: %s", answer).isNotBlank();
                assertThat(suite.serviceLogs()).as("the log line of %s", answer).contains("[correlation-id=" + correlationId + "]");
            }
            assertThat(kim.cookie(Browser.REFRESH)).as("a failed refresh keeps the session cookies").isNotNull();
        } finally {
            suite.start(RunningSuite.AUTH);
        }

        // Back without restarting the gateway or the user service; the refresh token the failed refresh kept works.
        expect(kim.refresh(), 200);
        expect(kim.me(), 200);
        assertThat(kim.me().json().getString("bio")).isEqualTo("written while the auth service is down");
        Browser again = new Browser(suite.gatewayUrl());
        again.csrf();
        expect(again.login(kim.email(), Browser.PASSWORD), 200);
    }
}
