package dev.suite.gateway;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** A browser's view of the gateway over HTTPS: a cookie jar, and the CSRF header taken from its cookie. */
final class GatewayClient {

    static final String BASE = "https://localhost:18443";
    static final String PASSWORD = "amber-kestrel-orchard-19";

    final Map<String, String> jar = new HashMap<>();
    /** The answer to this browser's last sign-in (signedIn), with its Set-Cookie headers. */
    Response lastLogin;

    static RequestSpecification https() {
        return given().baseUri(BASE).relaxedHTTPSValidation().redirects().follow(false);
    }

    RequestSpecification browser() {
        RequestSpecification spec = https().cookies(jar);
        String csrf = jar.get("__Host-csrf");
        return csrf == null ? spec : spec.header("X-CSRF-Token", csrf);
    }

    /** This browser's cookies, but with the given CSRF token as both cookie and header (one cookie of each name). */
    RequestSpecification withCsrf(String token) {
        Map<String, String> cookies = new HashMap<>(jar);
        cookies.put("__Host-csrf", token);
        return https().cookies(cookies).header("X-CSRF-Token", token);
    }

    Response remember(Response response) {
        response.getDetailedCookies().asList().forEach(cookie -> {
            if (cookie.getMaxAge() == 0 || cookie.getValue().isEmpty()) {
                jar.remove(cookie.getName());
            } else {
                jar.put(cookie.getName(), cookie.getValue());
            }
        });
        return response;
    }

    Response csrf() {
        return remember(browser().get("/api/auth/csrf"));
    }

    /** A new account, signed in: the jar holds its session and CSRF cookies. */
    static GatewayClient signedIn(String displayName) {
        GatewayClient client = new GatewayClient();
        client.csrf();
        String email = "gw-" + UUID.randomUUID() + "@example.com";
        client.remember(client.browser().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "displayName", displayName)).post("/api/auth/register"))
                .then().statusCode(202);
        client.lastLogin = client.remember(client.browser().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD)).post("/api/auth/login"));
        client.lastLogin.then().statusCode(200);
        client.jar.put("email", email);
        return client;
    }
}
