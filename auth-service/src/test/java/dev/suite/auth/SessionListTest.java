package dev.suite.auth;

import static dev.suite.auth.AuthClient.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * "Where you're signed in" (issue 23, item 1): a user lists their live sessions and ends one, as logout would; and the
 * attacks: another user's session can be neither seen nor ended (a 404 exactly like an unknown id's, the session alive
 * afterwards), and an ended session's tokens are refused at once.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class SessionListTest {

    private static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    /** One browser's sign-in: the login answer (tokens, sessionId). */
    private static JsonPath signIn(String email, String address, String userAgent) {
        return AuthClient.from(address).header("User-Agent", userAgent).body(Map.of("email", email, "password", PASSWORD))
                .post("/login").then().statusCode(200).extract().jsonPath();
    }

    private static String newAccount() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Sessions").then().statusCode(AuthClient.REGISTERED);
        return email;
    }

    private static Response list(JsonPath session) {
        return given().auth().oauth2(session.getString("accessToken")).get("/sessions");
    }

    private static Response end(JsonPath session, String id) {
        return AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(session.getString("accessToken")).delete("/sessions/" + id);
    }

    @Test
    void listsTheCallersLiveSessionsWithWhatAPersonRecognisesThemBy() {
        String email = newAccount();
        JsonPath laptop = signIn(email, "2001:db8:aa:1::7", FIREFOX_LINUX);
        JsonPath phone = signIn(email, "198.51.100.23", SAFARI_IPHONE);

        JsonPath sessions = list(laptop).then().statusCode(200).extract().jsonPath();
        assertThat(sessions.getList("id", String.class)).containsExactlyInAnyOrder(laptop.getString("sessionId"), phone.getString("sessionId"));
        Map<String, Object> seenFromLaptop = one(sessions, laptop.getString("sessionId"));
        assertThat(seenFromLaptop).containsEntry("device", "Firefox on Linux").containsEntry("network", "2001:db8:aa::/48")
                .containsEntry("current", true).containsKeys("createdAt", "lastUsedAt");
        assertThat(one(sessions, phone.getString("sessionId"))).containsEntry("device", "Safari on iOS")
                .containsEntry("network", "198.51.100.0/24").containsEntry("current", false);
        // Nothing in the list could act for a session.
        assertThat(sessions.prettify()).doesNotContain(phone.getString("refreshToken"), phone.getString("accessToken"))
                .doesNotContain("198.51.100.23", "2001:db8:aa:1::7");
    }

    @Test
    void aRefreshMovesLastUsedAndTheNetworkToWhereTheSessionIsUsedNow() {
        String email = newAccount();
        JsonPath laptop = signIn(email, "203.0.113.9", FIREFOX_LINUX);
        JsonPath refreshed = AuthClient.from("192.0.2.200").body(Map.of("refreshToken", laptop.getString("refreshToken")))
                .post("/refresh").then().statusCode(200).extract().jsonPath();
        Map<String, Object> seen = one(list(refreshed).then().statusCode(200).extract().jsonPath(), laptop.getString("sessionId"));
        assertThat(seen).containsEntry("network", "192.0.2.0/24").containsEntry("device", "Firefox on Linux");
        assertThat(Instant.parse((String) seen.get("lastUsedAt"))).isAfter(Instant.parse((String) seen.get("createdAt")));
    }

    @Test
    void endingOneOfMySessionsKillsItsRefreshChainAndItsAccessTokensAtOnceAndNothingElse() {
        String email = newAccount();
        JsonPath mine = signIn(email, AuthClient.newClientAddress(), FIREFOX_LINUX);
        JsonPath lost = signIn(email, AuthClient.newClientAddress(), SAFARI_IPHONE);
        list(lost).then().statusCode(200);

        end(mine, lost.getString("sessionId")).then().statusCode(204);

        AuthClient.refresh(lost.getString("refreshToken")).then().statusCode(401);
        list(lost).then().statusCode(401); // its access token, still within its lifetime, is refused
        given().auth().oauth2(lost.getString("accessToken")).post("/logout").then().statusCode(401);
        assertThat(list(mine).then().statusCode(200).extract().jsonPath().getList("id", String.class))
                .containsExactly(mine.getString("sessionId"));
        AuthClient.refresh(mine.getString("refreshToken")).then().statusCode(200);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event WHERE type = 'SESSION_REVOKED' AND session_id = ? "
                + "AND detail = 'ended-from-list'", UUID.fromString(lost.getString("sessionId")))).isEqualTo(1);
        // Ended is ended: a second DELETE finds no live session.
        end(mine, lost.getString("sessionId")).then().statusCode(404);
    }

    @Test
    void endingTheSessionThatAsksIsALogout() {
        JsonPath mine = signIn(newAccount(), AuthClient.newClientAddress(), FIREFOX_LINUX);
        end(mine, mine.getString("sessionId")).then().statusCode(204);
        list(mine).then().statusCode(401);
        AuthClient.refresh(mine.getString("refreshToken")).then().statusCode(401);
    }

    /** The attack: a signed-in user names a session of someone else's. */
    @Test
    void anotherUsersSessionCannotBeEndedAndTheAnswerIsAnUnknownIdsAnswer() {
        JsonPath attacker = signIn(newAccount(), AuthClient.newClientAddress(), FIREFOX_LINUX);
        JsonPath victim = signIn(newAccount(), AuthClient.newClientAddress(), SAFARI_IPHONE);

        Response theirs = end(attacker, victim.getString("sessionId"));
        Response unknown = end(attacker, UUID.randomUUID().toString());
        Response notAnId = end(attacker, "not-a-session-id");
        theirs.then().statusCode(404).contentType("application/problem+json");
        for (Response same : List.of(unknown, notAnId)) {
            same.then().statusCode(404).body("title", equalTo(theirs.jsonPath().getString("title")))
                    .body("detail", equalTo(theirs.jsonPath().getString("detail")));
        }

        // The victim's session is untouched: its tokens work, its refresh chain goes on, it is not revoked in the database.
        list(victim).then().statusCode(200);
        assertThat(list(attacker).then().statusCode(200).extract().jsonPath().getList("id", String.class))
                .containsExactly(attacker.getString("sessionId"));
        AuthClient.refresh(victim.getString("refreshToken")).then().statusCode(200);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM auth_session WHERE id = ? AND revoked_at IS NULL",
                UUID.fromString(victim.getString("sessionId")))).isEqualTo(1);
    }

    @Test
    void theListAndTheEndWantASignedInUser() {
        given().get("/sessions").then().statusCode(401);
        given().delete("/sessions/" + UUID.randomUUID()).then().statusCode(401);
        given().auth().oauth2("not.a.token").get("/sessions").then().statusCode(401);
    }

    private static Map<String, Object> one(JsonPath sessions, String id) {
        List<Map<String, Object>> all = sessions.getList("$");
        return all.stream().filter(session -> id.equals(session.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no session " + id + " in " + all));
    }
}
