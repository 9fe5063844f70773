package dev.suite.auth;

import static io.restassured.RestAssured.given;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The auth API as a client uses it, in a few readable calls. Tests connect from 127.0.0.1, the address the
 * gateway has under make run, so the service believes their X-Forwarded-For: each call names a client address
 * of its own (2001:db8::/32, documentation range), as the gateway would for a different browser, unless a test
 * chooses one. Throttles then see what production sees, with production settings.
 */
public final class AuthClient {

    public static final String PASSWORD = "violet-otter-marmalade-42";

    /** What registration answers, whether or not the email was new (it never tells). */
    public static final int REGISTERED = 202;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Unrelated words, none repeated: a long password the policy accepts, for tests about length. */
    private static final String WORDS = "violet otter marmalade quartz lantern meadow harbour kestrel orchard tangerine "
            + "walrus gazebo glacier humming breeze copper saddle nimbus pepper juniper falcon ribbon thistle anchor";

    private AuthClient() {
    }

    /** A good passphrase of exactly {@code length} characters (at most 180). */
    public static String passphrase(int length) {
        return WORDS.substring(0, length);
    }

    public static String newEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    /** A client address nobody else uses: its own IPv6 /64 in the documentation range. */
    public static String newClientAddress() {
        return String.format("2001:db8:%x:%x::1", RANDOM.nextInt(0x10000), RANDOM.nextInt(0x10000));
    }

    /** A request as the gateway forwards it for the browser at {@code clientAddress}. */
    public static RequestSpecification from(String clientAddress) {
        return given().header("X-Forwarded-For", clientAddress).contentType(ContentType.JSON);
    }

    public static Response register(String email, String password, String displayName) {
        return from(newClientAddress()).body(Map.of("email", email, "password", password, "displayName", displayName))
                .post("/register");
    }

    public static Response login(String email, String password) {
        return loginFrom(newClientAddress(), email, password, null);
    }

    /** A login from a given client address, with the device token that browser holds (or none). */
    public static Response loginFrom(String clientAddress, String email, String password, String deviceToken) {
        Map<String, String> body = new HashMap<>(Map.of("email", email, "password", password));
        if (deviceToken != null) {
            body.put("deviceToken", deviceToken);
        }
        return from(clientAddress).body(body).post("/login");
    }

    public static Response refresh(String refreshToken) {
        return from(newClientAddress()).body(Map.of("refreshToken", refreshToken)).post("/refresh");
    }

    /** Registers a fresh account and logs in: the login response. */
    public static JsonPath signedIn() {
        String email = newEmail();
        register(email, PASSWORD, "Test User").then().statusCode(REGISTERED);
        return login(email, PASSWORD).then().statusCode(200).extract().jsonPath();
    }
}
