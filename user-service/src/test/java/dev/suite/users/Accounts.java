package dev.suite.users;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Real accounts and tokens from the real auth service the test resource started. */
final class Accounts {

    static final String PASSWORD = "quiet-harbour-lantern-77";

    private Accounts() {
    }

    static String authUrl() {
        return ConfigProvider.getConfig().getValue("suite.auth.url", String.class);
    }

    /** Registers and logs in a new user: the login response (accessToken, refreshToken, user.id, ...). */
    static JsonPath newUser(String displayName) {
        String email = "u-" + UUID.randomUUID() + "@example.com";
        given().baseUri(authUrl()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "displayName", displayName))
                .post("/register").then().statusCode(202);
        return login(email);
    }

    static JsonPath login(String email) {
        return given().baseUri(authUrl()).contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/login").then().statusCode(200).extract().jsonPath();
    }

    /** DELETE /users/me as the SPA sends it: the owner re-enters the password. */
    static io.restassured.response.Response deleteMe(String accessToken, String currentPassword) {
        return given().auth().oauth2(accessToken).contentType(ContentType.JSON).body(Map.of("currentPassword", currentPassword))
                .delete("/users/me");
    }

    static int loginStatus(String email) {
        return given().baseUri(authUrl()).contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/login").statusCode();
    }

    static void logout(String accessToken) {
        given().baseUri(authUrl()).auth().oauth2(accessToken).post("/logout").then().statusCode(204);
    }

    static String serviceToken(String audience) {
        String secret = ConfigProvider.getConfig().getValue("suite.client.user-service.secret", String.class);
        return given().baseUri(authUrl()).contentType(ContentType.JSON)
                .body(Map.of("clientId", "user-service", "clientSecret", secret, "audience", audience))
                .post("/internal/service-tokens").then().statusCode(200).extract().jsonPath().getString("accessToken");
    }
}
