package dev.suite.auth.attacks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.suite.auth.Admins;
import dev.suite.auth.AuthClient;
import dev.suite.fixtures.SharedStack;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.RespClient;
import dev.suite.tokenguard.TokenGuard;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;

/**
 * docs/runbooks/redis.md, "Redis lost its data", rehearsed: the revocations are gone (a Redis restarted without its
 * append-only file, a failover to a replica that never had them), so access tokens revoked before the loss work
 * again until they expire. Refresh tokens do not come back (their state is in PostgreSQL); the runbook's step for
 * access tokens is withdrawing the signing key that signed them.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class RedisDataLossTest {

    @Inject
    TokenGuard guard;

    @Test
    void revokedAccessTokensComeBackWithALostRedisAndTheRunbookEndsThem() {
        JsonPath victim = AuthClient.signedIn();
        String stolen = victim.getString("accessToken");
        given().auth().oauth2(stolen).post("/logout").then().statusCode(204);
        assertThatThrownBy(() -> guard.check(stolen).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(AuthenticationFailedException.class);

        loseTheRevocations();

        // What the loss means: the logged-out session's access token is honoured again (until it expires)...
        assertThat(guard.check(stolen).await().atMost(Duration.ofSeconds(5))).as("revoked before the loss, honoured after").isNotNull();
        given().auth().oauth2(stolen).get("/sessions").then().statusCode(200);
        // ...but its refresh token is not: the session's end is in PostgreSQL.
        AuthClient.refresh(victim.getString("refreshToken")).then().statusCode(401);

        // The runbook: withdraw the key that signed every access token alive at the loss (the current one; a previous
        // key too if a rotation happened within the access-token lifetime). Its sessions are revoked anew.
        String admin = Admins.token();
        String kid = kidOf(stolen);
        JsonPath withdrawal = given().auth().oauth2(admin).post("/admin/keys/" + kid + "/withdrawal").then().statusCode(200)
                .extract().jsonPath();
        assertThat(withdrawal.getString("was")).isEqualTo("current");

        assertThatThrownBy(() -> guard.check(stolen).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(AuthenticationFailedException.class);
        given().auth().oauth2(stolen).get("/sessions").then().statusCode(401);
        String returning = AuthClient.signedIn().getString("accessToken");
        assertThat(kidOf(returning)).as("everyone signs in again, under the new key").isEqualTo(withdrawal.getString("current"));
        given().auth().oauth2(returning).get("/sessions").then().statusCode(200);
    }

    /** Every revocation set deleted, as the operator could (the only user allowed to delete them wholesale). */
    private static void loseTheRevocations() {
        LocalStack stack = LocalStack.shared();
        try (RespClient operator = RespClient.as(stack.redis(), "default", LocalStack.redisPassword(stack.secrets(), "default"))) {
            String keys = operator.call("KEYS", "revoked:*"); // "[revoked:1, revoked:2, ...]"
            assertThat(keys).as("revocations before the loss").isNotEqualTo("[]");
            for (String key : keys.substring(1, keys.length() - 1).split(", ")) {
                operator.call("DEL", key);
            }
            assertThat(operator.call("KEYS", "revoked:*")).isEqualTo("[]");
        }
    }

    private static String kidOf(String token) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8)).getString("kid");
    }
}
