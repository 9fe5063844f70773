package dev.suite.gateway;

import static dev.suite.gateway.GatewayClient.https;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The admin API through the gateway as a browser meets it (issue 23, item 3): an admin finds an account, sees its
 * sessions and locks it with the CSRF header, and the locked account's browser is signed out. The attacks: a signed-in
 * non-admin on every admin route (403 through the gateway, and 403 from the auth service called directly with the same
 * token), and an admin's unsafe request without the CSRF header (a cross-site request riding the admin's cookies).
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class AdminRoutesThroughGatewayTest {

    static List<String[]> adminRoutes() {
        String id = UUID.randomUUID().toString();
        return List.of(new String[] { "GET", "/admin/accounts?email=a@example.com" }, new String[] { "GET", "/admin/accounts/" + id },
                new String[] { "GET", "/admin/accounts/" + id + "/sessions" }, new String[] { "GET", "/admin/accounts/" + id + "/events" },
                new String[] { "POST", "/admin/accounts/" + id + "/lock" }, new String[] { "POST", "/admin/accounts/" + id + "/unlock" },
                new String[] { "PUT", "/admin/accounts/" + id + "/roles/admin" },
                new String[] { "DELETE", "/admin/accounts/" + id + "/roles/admin" }, new String[] { "GET", "/admin/audit-events" });
    }

    /** Gives the signed-in browser's account the admin role as an operator would (as the schema owner), and signs in again. */
    private static GatewayClient admin() {
        GatewayClient client = GatewayClient.signedIn("Admin");
        AuthDatabaseOwner.updateForEmail("UPDATE auth.account SET roles = 'user,admin' WHERE email = ?", client.jar.get("email"));
        client.lastLogin = client.remember(client.browser().contentType(ContentType.JSON)
                .body(Map.of("email", client.jar.get("email"), "password", GatewayClient.PASSWORD)).post("/api/auth/login"));
        client.lastLogin.then().statusCode(200);
        return client;
    }

    private static String accessToken(GatewayClient browser) {
        return browser.jar.get("__Host-access");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("adminRoutes")
    void aNonAdminGets403ThroughTheGatewayAndFromTheAuthServiceDirectly(String method, String path) {
        GatewayClient user = GatewayClient.signedIn("User");
        user.browser().request(method, "/api/auth" + path).then().statusCode(403).contentType("application/problem+json");
        String authUrl = ConfigProvider.getConfig().getValue("suite.auth.url", String.class);
        given().baseUri(authUrl).relaxedHTTPSValidation().auth().oauth2(accessToken(user))
                .request(method, path).then().statusCode(403);
    }

    @Test
    void anAdminFindsAnAccountSeesItsSessionsAndLocksItWithTheCsrfHeader() {
        GatewayClient target = GatewayClient.signedIn("Target");
        GatewayClient admin = admin();
        String email = target.jar.get("email");

        String id = admin.browser().queryParam("email", email).get("/api/auth/admin/accounts").then().statusCode(200).extract()
                .jsonPath().getString("accounts[0].id");
        assertThat(id).isNotNull();
        assertThat(admin.browser().get("/api/auth/admin/accounts/" + id + "/sessions").then().statusCode(200).extract().jsonPath()
                .getList("$")).hasSize(1);
        admin.browser().post("/api/auth/admin/accounts/" + id + "/lock").then().statusCode(204);

        target.browser().get("/api/users/me").then().statusCode(401);
        target.remember(target.browser().post("/api/auth/refresh")).then().statusCode(401);
        assertThat(admin.browser().queryParam("account", id).queryParam("type", "ACCOUNT_LOCKED").get("/api/auth/admin/audit-events")
                .then().statusCode(200).extract().jsonPath().getList("events")).hasSize(1);
    }

    /** The attack: a forged cross-site POST carries the admin's cookies but cannot carry the CSRF header. */
    @Test
    void anAdminActionWithoutTheCsrfHeaderIsRefusedAndChangesNothing() {
        GatewayClient target = GatewayClient.signedIn("Target");
        GatewayClient admin = admin();
        String id = admin.browser().queryParam("email", target.jar.get("email")).get("/api/auth/admin/accounts").then().statusCode(200)
                .extract().jsonPath().getString("accounts[0].id");

        https().cookies(admin.jar).post("/api/auth/admin/accounts/" + id + "/lock").then().statusCode(403)
                .contentType("application/problem+json");
        https().cookies(admin.jar).header("X-CSRF-Token", "forged").put("/api/auth/admin/accounts/" + id + "/roles/admin").then()
                .statusCode(403);
        target.browser().get("/api/users/me").then().statusCode(200);
        assertThat(admin.browser().get("/api/auth/admin/accounts/" + id).then().statusCode(200).extract().jsonPath()
                .getString("lockedAt")).isNull();
        assertThat(admin.browser().get("/api/auth/admin/accounts/" + id).jsonPath().getBoolean("admin")).isFalse();
    }
}
