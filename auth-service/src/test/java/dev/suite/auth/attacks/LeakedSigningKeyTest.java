package dev.suite.auth.attacks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.auth.Admins;
import dev.suite.auth.AuthClient;
import dev.suite.auth.token.SigningKeys;
import dev.suite.fixtures.SharedStack;
import dev.suite.tokenguard.TokenGuard;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/**
 * Invariant 10: a signing key leaked. Before, an emergency rotation left the leaked key in the JWKS until the next
 * rotation (up to 30 days, and a second rotation was refused for 10 minutes), so every verifier went on accepting
 * whatever the attacker signed with it. Withdrawal takes it out of the key set at once and ends the sessions
 * that used it; the attacker's forgeries stop being accepted.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class LeakedSigningKeyTest {

    @Inject
    SigningKeys keys;

    @Inject
    TokenGuard guard;

    @Inject
    Pool database;

    @Test
    void aWithdrawnKeyIsUnpublishedItsForgeriesRefusedAndItsSessionsEnded() {
        String admin = Admins.token();
        JsonPath victim = AuthClient.signedIn();
        String leaked = kidOf(victim.getString("accessToken"));
        String forgedAdmin = forge(keys.current(), victim.getString("user.id"), victim.getString("sessionId"), Set.of("user", "admin"));
        assertThat(guard.check(forgedAdmin).await().atMost(Duration.ofSeconds(5))).as("what the leak makes possible").isNotNull();

        // Only an admin withdraws a key or lists the ring: a user's own token is refused.
        given().auth().oauth2(victim.getString("accessToken")).post("/admin/keys/" + leaked + "/withdrawal").then().statusCode(403);
        given().auth().oauth2(victim.getString("accessToken")).get("/admin/keys").then().statusCode(403);
        assertThat(publishedKids()).contains(leaked);

        JsonPath withdrawal = given().auth().oauth2(admin).post("/admin/keys/" + leaked + "/withdrawal")
                .then().statusCode(200).extract().jsonPath();
        assertThat(withdrawal.getString("withdrawn")).isEqualTo(leaked);
        assertThat(withdrawal.getString("was")).isEqualTo("current");
        assertThat(withdrawal.getInt("sessionsRevoked")).isGreaterThanOrEqualTo(2); // the victim's and the admin's

        assertThat(publishedKids()).doesNotContain(leaked).contains(withdrawal.getString("current"), withdrawal.getString("next"));
        for (String token : List.of(forgedAdmin, victim.getString("accessToken"), admin)) {
            assertThatThrownBy(() -> guard.check(token).await().atMost(Duration.ofSeconds(5)))
                    .isInstanceOf(AuthenticationFailedException.class);
        }
        AuthClient.refresh(victim.getString("refreshToken")).then().statusCode(401);
        given().auth().oauth2(forgedAdmin).get("/admin/keys").then().statusCode(401);

        String fresh = AuthClient.signedIn().getString("accessToken");
        assertThat(kidOf(fresh)).isEqualTo(withdrawal.getString("current"));
        assertThat(guard.check(fresh).await().atMost(Duration.ofSeconds(5))).isNotNull();
        // A leaked key is withdrawn for good. Asking again (a retry after a failed revocation) revokes its sessions again,
        // the asking admin's own among them: every session used since the key started signing.
        String newAdmin = Admins.token();
        assertThat(given().auth().oauth2(newAdmin).post("/admin/keys/" + leaked + "/withdrawal").then().statusCode(200)
                .extract().jsonPath().getInt("sessionsRevoked")).isGreaterThanOrEqualTo(1);
        assertThat(publishedKids()).doesNotContain(leaked);
        newAdmin = Admins.token();
        given().auth().oauth2(newAdmin).post("/admin/keys/no-such-kid/withdrawal").then().statusCode(404);
        JsonPath ring = given().auth().oauth2(newAdmin).get("/admin/keys").then().statusCode(200).extract().jsonPath();
        assertThat(ring.getList("keys.findAll { it.kid == '" + leaked + "' }.state", String.class)).containsExactly("withdrawn");
    }

    @Test
    void aWithdrawnNextKeyIsReplacedBeforeItEverSigns() {
        String admin = Admins.token();
        List<String> before = publishedKids();
        String next = given().auth().oauth2(admin).get("/admin/keys").then().statusCode(200).extract().jsonPath()
                .getString("keys.find { it.state == 'next' }.kid");
        JsonPath withdrawal = given().auth().oauth2(admin).post("/admin/keys/" + next + "/withdrawal")
                .then().statusCode(200).extract().jsonPath();
        assertThat(withdrawal.getString("was")).isEqualTo("next");
        assertThat(withdrawal.getInt("sessionsRevoked")).isZero();
        assertThat(publishedKids()).doesNotContain(next).contains(before.get(0), withdrawal.getString("next"));
        assertThat(guard.check(admin).await().atMost(Duration.ofSeconds(5))).as("the current key's tokens live on").isNotNull();
    }

    private static String forge(SigningKeys.SigningKey key, String subject, String sessionId, Set<String> groups) {
        return ForgedTokens.accessToken(key, subject, sessionId, groups, UUID.randomUUID().toString(), Instant.now());
    }

    private static List<String> publishedKids() {
        return given().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath().getList("keys.kid", String.class);
    }

    private static String kidOf(String token) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8)).getString("kid");
    }
}
