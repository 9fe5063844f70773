package dev.suite.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import dev.suite.keys.Pem;
import dev.suite.tokenguard.TokenGuard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/** Key rotation: the next key is published before it signs; old tokens stay valid; the ring is shared. */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class KeyRotationTest {

    @Inject
    TokenGuard guard;

    @Inject
    Pool database;

    @Test
    void rotationPromotesThePrePublishedKeyAndOldTokensStayValid() {
        String admin = adminToken();
        List<String> before = kids();
        // current (signing, listed first) and next (published, not signing yet); a previous key if the ring changed before
        assertThat(before).hasSizeBetween(2, 3);
        assertThat(kidOf(admin)).isEqualTo(before.get(0));
        String publishedNext = given().auth().oauth2(admin).get("/admin/keys").then().statusCode(200).extract().jsonPath()
                .getString("keys.find { it.state == 'next' }.kid");
        assertThat(before).contains(publishedNext);

        given().auth().oauth2(AuthClient.signedIn().getString("accessToken")).post("/admin/keys/rotation").then().statusCode(403);
        JsonPath rotated = given().auth().oauth2(admin).post("/admin/keys/rotation").then().statusCode(200).extract().jsonPath();
        assertThat(rotated.getString("current")).isEqualTo(publishedNext);

        List<String> after = kids();
        assertThat(after).containsExactlyInAnyOrder(publishedNext, before.get(0), rotated.getString("next"));
        assertThat(rotated.getString("next")).isNotIn(before);
        assertThat(after.get(0)).isEqualTo(publishedNext);
        String fresh = AuthClient.signedIn().getString("accessToken");
        assertThat(kidOf(fresh)).isEqualTo(publishedNext);
        assertThat(guard.check(admin).await().atMost(Duration.ofSeconds(5))).as("a token of the previous key").isNotNull();
        assertThat(guard.check(fresh).await().atMost(Duration.ofSeconds(5))).isNotNull();

        given().auth().oauth2(fresh).post("/admin/keys/rotation").then().statusCode(403);
        String newAdmin = adminToken();
        given().auth().oauth2(newAdmin).post("/admin/keys/rotation").then().statusCode(200);
        assertThat(kids()).doesNotContain(before.get(0)).hasSize(3); // the first key is retired, no longer published
        List<String> stored = new ArrayList<>();
        database.query("SELECT private_key FROM signing_key").execute().await().indefinitely()
                .forEach(row -> stored.add(new String(row.getBuffer(0).getBytes(), StandardCharsets.ISO_8859_1)));
        assertThat(stored).isNotEmpty().as("private keys are stored encrypted, never as PEM").noneMatch(Pem::contains);
    }

    private String adminToken() {
        return Admins.token();
    }

    private static List<String> kids() {
        return given().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath().getList("keys.kid", String.class);
    }

    private static String kidOf(String token) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8)).getString("kid");
    }
}
