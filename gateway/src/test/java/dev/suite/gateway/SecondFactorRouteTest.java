package dev.suite.gateway;

import static dev.suite.gateway.GatewayClient.https;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A sign-in with a second factor through the gateway, against the real auth service: the password's answer (202 and
 * a challenge) reaches the SPA with no session cookie and no token; the second step needs the pre-login CSRF token
 * like login, and only it sets the session's cookies.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class SecondFactorRouteTest {

    private static final TimeBasedOneTimePasswordGenerator TOTP = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30));

    @Test
    void thePasswordGetsAChallengeWithoutCookiesAndOnlyTheSecondStepWithCsrfOpensTheSession() throws Exception {
        GatewayClient owner = GatewayClient.signedIn("Factor Owner");
        String email = owner.jar.get("email");
        byte[] secret = turnOnAuthenticator(owner);

        GatewayClient browser = new GatewayClient();
        browser.csrf();
        Response first = browser.remember(browser.browser().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", GatewayClient.PASSWORD)).post("/api/auth/login"));

        first.then().statusCode(202);
        assertThat(first.jsonPath().getString("challenge")).isNotBlank();
        assertThat(first.body().asString()).doesNotContain("accessToken").doesNotContain("refreshToken");
        assertThat(first.getHeaders().getValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith("__Host-access")
                || cookie.startsWith("__Host-refresh"));
        browser.browser().get("/api/auth/sessions").then().statusCode(401);

        Map<String, String> secondStep = Map.of("challenge", first.jsonPath().getString("challenge"), "code", code(secret, 0));
        // A cross-site form cannot finish somebody's sign-in: no CSRF token, refused before the auth service hears of it.
        https().cookies(browser.jar).contentType(ContentType.JSON).body(secondStep).post("/api/auth/login/second-factor")
                .then().statusCode(403);

        Response done = browser.remember(browser.browser().contentType(ContentType.JSON).body(secondStep)
                .post("/api/auth/login/second-factor"));
        done.then().statusCode(200);
        assertThat(done.body().asString()).doesNotContain("accessToken").doesNotContain("refreshToken");
        assertThat(browser.jar).containsKey("__Host-access");
        browser.browser().get("/api/auth/factors").then().statusCode(200).body("totp", org.hamcrest.Matchers.equalTo("confirmed"));
    }

    /**
     * Issue 22 item 5 end to end: the SPA's DELETE /api/users/me, with the right password, from a session of an account
     * with a second factor that signed in long ago: the user service passes on the auth service's step-up answer (403,
     * WWW-Authenticate insufficient_user_authentication), the account stays; after a new sign-in with the factor it goes.
     */
    @Test
    void deletingAnAccountWithASecondFactorNeedsARecentSignInWithIt() throws Exception {
        GatewayClient owner = GatewayClient.signedIn("Factor Deleter");
        String email = owner.jar.get("email");
        byte[] secret = turnOnAuthenticator(owner);
        AuthDatabaseOwner.updateForEmail("UPDATE auth.auth_session SET auth_time = now() - interval '11 minutes' "
                + "WHERE account_id = (SELECT id FROM auth.account WHERE email = ?)", email);
        Map<String, String> password = Map.of("currentPassword", GatewayClient.PASSWORD);

        owner.browser().contentType(ContentType.JSON).body(password).delete("/api/users/me").then().statusCode(403)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("insufficient_user_authentication"));
        owner.browser().get("/api/users/me").then().statusCode(200);

        GatewayClient again = new GatewayClient();
        again.csrf();
        Response first = again.remember(again.browser().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", GatewayClient.PASSWORD)).post("/api/auth/login"));
        first.then().statusCode(202);
        again.remember(again.browser().contentType(ContentType.JSON)
                .body(Map.of("challenge", first.jsonPath().getString("challenge"), "code", code(secret, 0)))
                .post("/api/auth/login/second-factor")).then().statusCode(200);
        again.browser().contentType(ContentType.JSON).body(password).delete("/api/users/me").then().statusCode(204);
    }

    /** Turns an authenticator on for the signed-in browser's account through the gateway; its secret. */
    private static byte[] turnOnAuthenticator(GatewayClient owner) throws Exception {
        Response enrolment = owner.browser().contentType(ContentType.JSON).post("/api/auth/factors/totp");
        enrolment.then().statusCode(201);
        byte[] secret = new Base32().decode(enrolment.jsonPath().getString("secret"));
        owner.browser().contentType(ContentType.JSON).body(Map.of("code", code(secret, -1), "currentPassword", GatewayClient.PASSWORD))
                .post("/api/auth/factors/totp/confirm").then().statusCode(200);
        return secret;
    }

    private static String code(byte[] secret, int offset) throws Exception {
        long intoStep = Instant.now().getEpochSecond() % 30;
        if (intoStep >= 26) {
            Thread.sleep((31 - intoStep) * 1000);
        }
        return TOTP.generateOneTimePasswordString(new SecretKeySpec(secret, "HmacSHA1"), Instant.now().plusSeconds(30L * offset));
    }
}
