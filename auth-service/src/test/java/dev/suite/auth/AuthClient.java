package dev.suite.auth;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The auth API as a client uses it, in a few readable calls. */
final class AuthClient {

    static final String PASSWORD = "violet-otter-marmalade-42";

    /** Unrelated words, none repeated: a long password the policy accepts, for tests about length. */
    private static final String WORDS = "violet otter marmalade quartz lantern meadow harbour kestrel orchard tangerine "
            + "walrus gazebo glacier humming breeze copper saddle nimbus pepper juniper falcon ribbon thistle anchor";

    private AuthClient() {
    }

    /** A good passphrase of exactly {@code length} characters (at most 180). */
    static String passphrase(int length) {
        return WORDS.substring(0, length);
    }

    static String newEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    static Response register(String email, String password, String displayName) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password, "displayName", displayName))
                .post("/register");
    }

    static Response login(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password)).post("/login");
    }

    static Response refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken)).post("/refresh");
    }

    /** Registers a fresh account and logs in: the login response. */
    static JsonPath signedIn() {
        String email = newEmail();
        register(email, PASSWORD, "Test User").then().statusCode(201);
        return login(email, PASSWORD).then().statusCode(200).extract().jsonPath();
    }
}
