package dev.suite.gateway;

import static dev.suite.gateway.GatewayClient.https;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * "Where you're signed in" through the gateway as a browser meets it (issue 23, item 1): the list with the device the
 * browser's User-Agent names (the gateway forwards it), a session ended with the CSRF header; and the attacks: a DELETE
 * without the CSRF header (a cross-site request riding the cookies), and a session id of another user's.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class SessionListThroughGatewayTest {

    private static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    /** A second browser of the same account: its own jar, signed in with the same email. */
    private static GatewayClient secondBrowser(GatewayClient first) {
        GatewayClient other = new GatewayClient();
        other.csrf();
        other.remember(other.browser().header("User-Agent", FIREFOX_LINUX).contentType(ContentType.JSON)
                .body(Map.of("email", first.jar.get("email"), "password", GatewayClient.PASSWORD)).post("/api/auth/login"))
                .then().statusCode(200);
        return other;
    }

    private static JsonPath sessions(GatewayClient browser) {
        return browser.browser().get("/api/auth/sessions").then().statusCode(200).extract().jsonPath();
    }

    private static String sessionIdOf(GatewayClient browser) {
        List<Map<String, Object>> all = sessions(browser).getList("$");
        return (String) all.stream().filter(session -> Boolean.TRUE.equals(session.get("current"))).findFirst().orElseThrow().get("id");
    }

    @Test
    void aBrowserListsItsSessionsAndEndsAnotherWithTheCsrfHeader() {
        GatewayClient laptop = GatewayClient.signedIn("Sessions");
        GatewayClient phone = secondBrowser(laptop);
        String phoneSession = sessionIdOf(phone);

        JsonPath list = sessions(laptop);
        assertThat(list.getList("id", String.class)).hasSize(2).contains(phoneSession);
        List<Map<String, Object>> all = list.getList("$");
        Map<String, Object> seen = all.stream().filter(s -> phoneSession.equals(s.get("id"))).findFirst().orElseThrow();
        // The browser's own User-Agent reached the auth service; the address is the gateway's view of the client, as a /24.
        assertThat(seen).containsEntry("device", "Firefox on Linux").containsEntry("network", "127.0.0.0/24")
                .containsEntry("current", false);

        laptop.browser().delete("/api/auth/sessions/" + phoneSession).then().statusCode(204);
        phone.browser().get("/api/users/me").then().statusCode(401);
        phone.remember(phone.browser().post("/api/auth/refresh")).then().statusCode(401);
        assertThat(sessions(laptop).getList("id", String.class)).doesNotContain(phoneSession).hasSize(1);
    }

    /** The attack: a forged cross-site DELETE carries the session cookies but cannot carry the CSRF header. */
    @Test
    void aDeleteWithoutTheCsrfHeaderIsRefusedAndTheSessionLives() {
        GatewayClient laptop = GatewayClient.signedIn("Sessions");
        GatewayClient phone = secondBrowser(laptop);
        String phoneSession = sessionIdOf(phone);

        https().cookies(laptop.jar).delete("/api/auth/sessions/" + phoneSession).then().statusCode(403)
                .contentType("application/problem+json");
        https().cookies(laptop.jar).header("X-CSRF-Token", "forged").delete("/api/auth/sessions/" + phoneSession).then()
                .statusCode(403);
        phone.browser().get("/api/users/me").then().statusCode(200);
        assertThat(sessions(laptop).getList("id", String.class)).contains(phoneSession);
    }

    /** The attack: a signed-in user names another user's session. */
    @Test
    void anotherUsersSessionIsNotFoundAndLives() {
        GatewayClient attacker = GatewayClient.signedIn("Attacker");
        GatewayClient victim = GatewayClient.signedIn("Victim");
        String victimSession = sessionIdOf(victim);

        attacker.browser().delete("/api/auth/sessions/" + victimSession).then().statusCode(404);
        attacker.browser().delete("/api/auth/sessions/" + UUID.randomUUID()).then().statusCode(404);
        assertThat(sessions(attacker).getList("id", String.class)).doesNotContain(victimSession);
        victim.browser().get("/api/users/me").then().statusCode(200);
        victim.remember(victim.browser().post("/api/auth/refresh")).then().statusCode(200);
    }
}
