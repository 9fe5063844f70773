package dev.suite.auth;

import static dev.suite.auth.AuthClient.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import dev.suite.tokenguard.TokenGuard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;

/** Service tokens: their own typ and audience, only for known clients, and never interchangeable with user tokens. */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class ServiceToServiceTest {

    @ConfigProperty(name = "suite.client.user-service.secret")
    String userServiceSecret;

    @Inject
    TokenGuard guard;

    private String serviceToken(String secret, String audience, int expectedStatus) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("clientId", "user-service", "clientSecret", secret, "audience", audience))
                .post("/internal/service-tokens").then().statusCode(expectedStatus).extract().jsonPath().getString("accessToken");
    }

    @Test
    void onlyAKnownClientWithItsSecretGetsATokenAndOnlyForItsAudiences() {
        serviceToken("not-the-secret", "auth-service", 401);
        serviceToken(userServiceSecret, "gateway", 403);
        String token = serviceToken(userServiceSecret, "auth-service", 200);
        JsonObject header = part(token, 0);
        JsonObject claims = part(token, 1);
        assertThat(header.getString("typ")).isEqualTo("svc+jwt");
        assertThat(claims.getString("aud")).isEqualTo("auth-service");
        assertThat(claims.getString("sub")).isEqualTo("user-service");
        assertThat(guard.check(token).await().atMost(Duration.ofSeconds(5)).isServiceToken()).isTrue();
    }

    @Test
    void accountDeletionIsForTheUserServiceOnlyAndIsIdempotent() {
        JsonPath user = AuthClient.signedIn();
        String userId = user.getString("user.id");
        Map<String, String> deletion = Map.of("currentPassword", PASSWORD, "sessionId", user.getString("sessionId"));
        given().auth().oauth2(user.getString("accessToken")).contentType(ContentType.JSON).body(deletion)
                .delete("/internal/accounts/" + userId).then().statusCode(403);

        String service = serviceToken(userServiceSecret, "auth-service", 200);
        given().auth().oauth2(service).post("/logout").then().statusCode(403); // a service token is no user token
        given().auth().oauth2(service).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", "not the password", "sessionId", user.getString("sessionId")))
                .delete("/internal/accounts/" + userId).then().statusCode(403); // the owner's password, not just a session
        given().auth().oauth2(service).contentType(ContentType.JSON).body(deletion)
                .delete("/internal/accounts/" + userId).then().statusCode(204);
        assertThatThrownBy(() -> guard.check(user.getString("accessToken")).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(io.quarkus.security.AuthenticationFailedException.class);
        AuthClient.login(user.getString("user.email"), PASSWORD).then().statusCode(401);
        given().auth().oauth2(service).contentType(ContentType.JSON).body(deletion)
                .delete("/internal/accounts/" + userId).then().statusCode(204);
    }

    private static JsonObject part(String token, int index) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8));
    }
}
