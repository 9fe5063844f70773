package dev.suite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;

/**
 * Invariant 6 through the gateway: a browser that signed in holds an HttpOnly {@code __Host-device} cookie, which
 * the gateway hands to the auth service at the next sign-in, so guesses at the owner's email from elsewhere
 * (which lock out unknown clients) never lock out the owner's own browser.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "with-user-service", value = "true"))
class DeviceCookieTest {

    @Test
    void theOwnersBrowserSignsInWhileHerEmailIsHammeredFromElsewhere() {
        GatewayClient alice = GatewayClient.signedIn("Alice");
        Cookie device = alice.lastLogin.getDetailedCookie("__Host-device");
        assertThat(device).as("a successful sign-in sets the device cookie").isNotNull();
        assertThat(device.isHttpOnly()).isTrue();
        assertThat(device.isSecured()).isTrue();
        assertThat(device.getPath()).isEqualTo("/");
        assertThat(device.getDomain()).isNull();
        assertThat(device.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(alice.lastLogin.asString()).doesNotContain(device.getValue());
        alice.remember(alice.browser().post("/api/auth/logout")).then().statusCode(204);
        assertThat(alice.jar).as("the device cookie outlives logout: it is no session").containsKey("__Host-device");

        GatewayClient attacker = new GatewayClient();
        attacker.csrf();
        for (int i = 0; i < 7; i++) {
            login(attacker, alice.jar.get("email"), "a guess " + i);
        }
        login(attacker, alice.jar.get("email"), GatewayClient.PASSWORD).then().statusCode(429);

        alice.csrf();
        login(alice, alice.jar.get("email"), GatewayClient.PASSWORD).then().statusCode(200);
    }

    private static Response login(GatewayClient client, String email, String password) {
        return client.remember(client.browser().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/api/auth/login"));
    }
}
