package dev.suite.auth;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** The auth API as a client uses it, in a few readable calls. */
public final class AuthClient {

    public static final String PASSWORD = "violet-otter-marmalade-42";

    /** What registration answers, whether or not the email was new (it never tells). */
    public static final int REGISTERED = 201;

    private AuthClient() {
    }

    public static String newEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    public static Response register(String email, String password, String displayName) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password, "displayName", displayName))
                .post("/register");
    }

    public static Response login(String email, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password)).post("/login");
    }

    public static Response refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken)).post("/refresh");
    }

    /** Registers a fresh account and logs in: the login response. */
    public static JsonPath signedIn() {
        String email = newEmail();
        register(email, PASSWORD, "Test User").then().statusCode(201);
        return login(email, PASSWORD).then().statusCode(200).extract().jsonPath();
    }
}
