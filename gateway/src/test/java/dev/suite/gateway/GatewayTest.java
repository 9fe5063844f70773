package dev.suite.gateway;

import static dev.suite.gateway.GatewayClient.https;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import dev.suite.launcher.SuiteTopology;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;

/** The gateway as the SPA and attackers meet it, over HTTPS, in front of the real services. */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class GatewayTest {

    @Test
    void fullCookieFlowKeepsTokensOutOfReachOfJavaScript() {
        GatewayClient browser = new GatewayClient();
        browser.csrf().then().statusCode(200).body("token", equalTo(browser.jar.get("__Host-csrf")));
        String email = "flow-" + System.nanoTime() + "@example.com";
        browser.remember(browser.browser().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", GatewayClient.PASSWORD, "displayName", "Flow")).post("/api/auth/register"))
                .then().statusCode(202);
        Response login = browser.remember(browser.browser().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", GatewayClient.PASSWORD)).post("/api/auth/login"));
        login.then().statusCode(200).body("user.email", equalTo(email)).body("$", hasKey("accessExpiresAt"))
                .body("$", not(hasKey("accessToken"))).body("$", not(hasKey("refreshToken")))
                .body(not(containsString(browser.jar.get("__Host-access"))));

        Cookie access = login.getDetailedCookie("__Host-access");
        assertThat(access.isHttpOnly()).isTrue();
        assertThat(access.isSecured()).isTrue();
        assertThat(access.getSameSite()).isEqualTo("Strict");
        assertThat(access.getPath()).isEqualTo("/");
        assertThat(access.getMaxAge()).isPositive();
        Cookie refresh = login.getDetailedCookie("__Host-refresh");
        assertThat(refresh.isHttpOnly()).isTrue();
        assertThat(refresh.isSecured()).isTrue();
        assertThat(refresh.getSameSite()).isEqualTo("Strict");
        assertThat(refresh.getPath()).isEqualTo("/");
        Cookie csrf = login.getDetailedCookie("__Host-csrf");
        assertThat(csrf.isHttpOnly()).isFalse();
        assertThat(csrf.isSecured()).isTrue();
        assertThat(csrf.getSameSite()).isEqualTo("Strict");

        browser.browser().get("/api/users/me").then().statusCode(200).body("displayName", equalTo("Flow"));
        String oldAccess = browser.jar.get("__Host-access");
        browser.remember(browser.browser().post("/api/auth/refresh")).then().statusCode(200).body("user.email", equalTo(email));
        assertThat(browser.jar.get("__Host-access")).isNotEqualTo(oldAccess);
        browser.browser().get("/api/users/me").then().statusCode(200);

        String lastAccess = browser.jar.get("__Host-access");
        Response logout = browser.remember(browser.browser().post("/api/auth/logout"));
        logout.then().statusCode(204);
        assertThat(logout.getDetailedCookie("__Host-access").getMaxAge()).isZero();
        https().cookie("__Host-access", lastAccess).get("/api/users/me").then().statusCode(401);
        browser.browser().get("/api/users/me").then().statusCode(401);
    }

    @Test
    void everyCsrfFailureIs403() {
        GatewayClient alice = GatewayClient.signedIn("Alice");
        GatewayClient bob = GatewayClient.signedIn("Bob");
        Map<String, String> body = Map.of("bio", "changed");
        // no header
        https().cookies(alice.jar).contentType(ContentType.JSON).body(body).patch("/api/users/me").then().statusCode(403);
        // header that does not match the cookie
        https().cookies(alice.jar).header("X-CSRF-Token", "v1.sid-x.9999999999.AAAA").contentType(ContentType.JSON).body(body)
                .patch("/api/users/me").then().statusCode(403);
        // Bob's valid token pasted into Alice's session (cookie and header both Bob's token)
        alice.withCsrf(bob.jar.get("__Host-csrf")).contentType(ContentType.JSON).body(body).patch("/api/users/me")
                .then().statusCode(403);
        // a pre-login token after login
        String preLogin = new GatewayClient().csrf().jsonPath().getString("token");
        alice.withCsrf(preLogin).contentType(ContentType.JSON).body(body).patch("/api/users/me").then().statusCode(403);
        // and, as the control for the three above, Alice's own token through the very same path passes
        alice.withCsrf(alice.jar.get("__Host-csrf")).contentType(ContentType.JSON).body(Map.of("bio", "control"))
                .patch("/api/users/me").then().statusCode(200);
        // cross-site request with the right token (a browser says where it came from)
        alice.browser().header("Sec-Fetch-Site", "cross-site").contentType(ContentType.JSON).body(body)
                .patch("/api/users/me").then().statusCode(403);
        alice.browser().header("Origin", "https://evil.example").contentType(ContentType.JSON).body(body)
                .patch("/api/users/me").then().statusCode(403);
        // the control: everything right
        alice.browser().header("Sec-Fetch-Site", "same-origin").contentType(ContentType.JSON).body(body)
                .patch("/api/users/me").then().statusCode(200).body("bio", equalTo("changed"));
    }

    @Test
    void loginAndRegisterNeedAPreLoginTokenEvenWithoutCookies() {
        GatewayClient victim = GatewayClient.signedIn("Victim");
        https().contentType(ContentType.JSON).body(Map.of("email", victim.jar.get("email"), "password", GatewayClient.PASSWORD))
                .post("/api/auth/login").then().statusCode(403).body(not(containsString("accessToken")));
        https().contentType(ContentType.JSON).body(Map.of("email", "x@example.com", "password", GatewayClient.PASSWORD,
                "displayName", "x")).post("/api/auth/register").then().statusCode(403);
    }

    @Test
    void bearerOnlyClientsSkipCsrfButCookiePlusBearerIsRefused() {
        GatewayClient carol = GatewayClient.signedIn("Carol");
        String token = carol.jar.get("__Host-access");
        https().auth().oauth2(token).get("/api/users/me").then().statusCode(200);
        https().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("bio", "cli")).patch("/api/users/me")
                .then().statusCode(200);
        carol.browser().auth().oauth2(token).get("/api/users/me").then().statusCode(400);
    }

    @Test
    void securityHeadersOnEveryResponseAndNoServerBanner() {
        for (Response response : new Response[] { https().get("/api/auth/csrf"), https().get("/api/users/me"),
                https().get("/api/nope"), https().get("/q/health/ready") }) {
            response.then()
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", containsString("object-src 'none'"))
                    .header("Content-Security-Policy", containsString("base-uri 'none'"))
                    .header("Content-Security-Policy", containsString("script-src 'self'"))
                    .header("Strict-Transport-Security", startsWith("max-age="))
                    .header("X-Content-Type-Options", equalTo("nosniff"))
                    .header("Referrer-Policy", equalTo("no-referrer"))
                    .header("Server", nullValue());
        }
        https().get("/api/auth/csrf").then().header("Cache-Control", equalTo("no-store"));
        https().get("/api/users/me").then().statusCode(401).header("Cache-Control", equalTo("no-store"))
                .contentType("application/problem+json");
    }

    @Test
    void corsAnswersOnlyTheAllowlistedOrigin() {
        https().header("Origin", "https://spa.example.test").header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "content-type,x-csrf-token")
                .options("/api/users/me").then()
                .header("Access-Control-Allow-Origin", equalTo("https://spa.example.test"))
                .header("Access-Control-Allow-Credentials", equalTo("true"));
        https().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "PATCH")
                .options("/api/users/me").then().header("Access-Control-Allow-Origin", nullValue());
        https().header("Origin", "https://evil.example").get("/api/auth/csrf").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void deletingTheAccountEndsTheBrowserSessionToo() {
        GatewayClient henry = GatewayClient.signedIn("Henry");
        henry.browser().delete("/api/users/me").then().statusCode(400); // the password is asked for again
        Response deleted = henry.remember(henry.browser().contentType(ContentType.JSON)
                .body(Map.of("currentPassword", GatewayClient.PASSWORD)).delete("/api/users/me"));
        deleted.then().statusCode(204);
        assertThat(deleted.getDetailedCookie("__Host-access").getMaxAge()).isZero();
        assertThat(deleted.getDetailedCookie("__Host-refresh").getMaxAge()).isZero();
        henry.browser().get("/api/users/me").then().statusCode(401);
    }

    @Test
    void oversizedBodiesGet413() {
        GatewayClient dave = GatewayClient.signedIn("Dave");
        dave.browser().contentType(ContentType.JSON).body("{\"bio\":\"" + "x".repeat(70_000) + "\"}")
                .patch("/api/users/me").then().statusCode(413);
    }

    @Test
    void storedScriptComesBackAsJsonUnderTheCsp() {
        GatewayClient eve = GatewayClient.signedIn("<script>alert(1)</script>");
        eve.browser().get("/api/users/me").then().statusCode(200).contentType("application/json")
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .body("displayName", equalTo("<script>alert(1)</script>"));
    }

    @Test
    void hostileAccessCookiesAre401AndInternalOrTraversingPathsNeverReachAService() {
        for (String hostile : new String[] { "garbage", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "a.b.c", "", "x".repeat(9000) }) {
            https().cookie("__Host-access", hostile).get("/api/users/me").then().statusCode(401)
                    .contentType("application/problem+json");
        }
        GatewayClient frank = GatewayClient.signedIn("Frank");
        frank.browser().get("/api/auth/internal/service-tokens").then().statusCode(404);
        frank.browser().urlEncodingEnabled(false).get("/api/users/..%2f..%2fq/health").then().statusCode(400);
        frank.browser().urlEncodingEnabled(false).get("/api/users/%2e%2e/me").then().statusCode(400);
    }

    @Test
    void plainHttpRedirectsEverythingToHttps() {
        // Health checks too: they are on the management port (ManagementPortTest), not on plain HTTP.
        for (String path : new String[] { "/api/auth/csrf", "/q/health/ready" }) {
            io.restassured.RestAssured.given().redirects().follow(false).get(path).then().statusCode(308)
                    .header("Location", startsWith("https://"));
        }
    }

    @Test
    void withTheAuthServiceDownReadsGoOnFromCachedKeysAndLoginsFailCleanly() {
        GatewayClient kim = GatewayClient.signedIn("Kim");
        kim.browser().get("/api/users/me").then().statusCode(200); // keys fetched and cached
        TestServices.stop(SuiteTopology.AUTH);
        try {
            kim.browser().get("/api/users/me").then().statusCode(200);
            GatewayClient other = new GatewayClient();
            other.csrf();
            other.browser().contentType(ContentType.JSON).body(Map.of("email", "x@example.com", "password", GatewayClient.PASSWORD))
                    .post("/api/auth/login").then().statusCode(org.hamcrest.Matchers.oneOf(502, 503))
                    .contentType("application/problem+json");
        } finally {
            TestServices.start(SuiteTopology.AUTH);
        }
    }

    @Test
    void upstreamDownIsAQuickProblemNeverAHang() {
        GatewayClient grace = GatewayClient.signedIn("Grace");
        TestServices.stop(SuiteTopology.USERS);
        try {
            long started = System.nanoTime();
            grace.browser().get("/api/users/me").then().statusCode(org.hamcrest.Matchers.oneOf(502, 503))
                    .contentType("application/problem+json");
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(6_000);
        } finally {
            TestServices.start(SuiteTopology.USERS);
        }
    }
}
