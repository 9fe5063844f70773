package dev.suite.auth.attacks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Invariant 2, by token id: an incident responder revokes a stolen access token that was minted minutes ago.
 * The revocation was filed under the time bucket of "now + the longest lifetime" while the check looks under
 * the bucket of the token's own expiry, so only a token minted in the current minute was ever stopped.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class RevokeOlderTokenByIdTest {

    @Inject
    SigningKeys keys;

    @Inject
    TokenGuard guard;

    @Test
    void aTokenMintedMinutesBeforeItsRevocationIsRefusedAtOnce() {
        String admin = Admins.token();
        JsonPath victim = AuthClient.signedIn();
        for (int minutesAgo : new int[] { 1, 3, 5, 9 }) {
            String tokenId = UUID.randomUUID().toString();
            String stolen = accessTokenMinted(minutesAgo, tokenId, victim);
            assertThat(guard.check(stolen).await().atMost(Duration.ofSeconds(5))).as("valid before revocation").isNotNull();

            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("tokenId", tokenId))
                    .post("/admin/revocations").then().statusCode(204);

            assertThatThrownBy(() -> guard.check(stolen).await().atMost(Duration.ofSeconds(5)))
                    .as("a token minted %d minutes before its revocation", minutesAgo)
                    .isInstanceOf(AuthenticationFailedException.class);
        }
        assertThat(guard.check(victim.getString("accessToken")).await().atMost(Duration.ofSeconds(5)))
                .as("other tokens of the session are untouched").isNotNull();
    }

    /** An access token of the victim's session, signed with the real current key, issued some minutes ago. */
    private String accessTokenMinted(int minutesAgo, String tokenId, JsonPath victim) {
        return ForgedTokens.accessToken(keys.current(), victim.getString("user.id"), victim.getString("sessionId"), Set.of("user"),
                tokenId, Instant.now().minus(Duration.ofMinutes(minutesAgo)));
    }
}
