package dev.suite.auth.admin;

import static dev.suite.auth.AuthClient.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.auth.Admins;
import dev.suite.auth.AuthClient;
import dev.suite.auth.OwnerDatabase;
import dev.suite.auth.factor.PasskeyClient;
import dev.suite.auth.account.EmailAddress;
import dev.suite.auth.throttle.GuessThrottle;
import dev.suite.auth.throttle.Guesser;
import dev.suite.fixtures.SharedStack;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.RespClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The admin API (issue 23, item 3) as its attackers meet it, called directly as the gateway would: a signed-in
 * non-admin (and nobody) on every admin route; a locked account signing in and refreshing; an admin removing their own
 * admin role or locking themselves; an admin view that would leak a password hash or a token. Each beside the control
 * that works.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class AdminApiAttackTest {

    /** Every admin route of this issue, with an id that exists. */
    static List<String[]> adminRoutes() {
        String id = UUID.randomUUID().toString();
        return List.of(new String[] { "GET", "/admin/accounts?email=a@example.com" }, new String[] { "GET", "/admin/accounts/" + id },
                new String[] { "GET", "/admin/accounts/" + id + "/sessions" }, new String[] { "GET", "/admin/accounts/" + id + "/events" },
                new String[] { "POST", "/admin/accounts/" + id + "/lock" }, new String[] { "POST", "/admin/accounts/" + id + "/unlock" },
                new String[] { "PUT", "/admin/accounts/" + id + "/roles/admin" },
                new String[] { "DELETE", "/admin/accounts/" + id + "/roles/admin" }, new String[] { "GET", "/admin/audit-events" },
                new String[] { "DELETE", "/admin/accounts/" + id + "/second-factors" });
    }

    private static String newAccount() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Managed").then().statusCode(AuthClient.REGISTERED);
        return email;
    }

    private static RequestSpecification as(JsonPath login) {
        return AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(login.getString("accessToken"));
    }

    private static Response send(RequestSpecification request, String method, String path) {
        return request.request(method, path);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("adminRoutes")
    void aNonAdminGetsA403AndNobodyA401OnEveryAdminRoute(String method, String path) {
        JsonPath user = AuthClient.signedIn();
        send(as(user), method, path).then().statusCode(403).contentType("application/problem+json");
        send(AuthClient.from(AuthClient.newClientAddress()), method, path).then().statusCode(401);
        // The control: the same route answers an admin (a 2xx, or the unknown account's 404); resetting factors only one
        // who signed in with a second factor of their own.
        JsonPath admin = path.endsWith("/second-factors") ? PasskeyClient.adminWithPasskey() : Admins.signedIn();
        int status = send(as(admin), method, path).statusCode();
        assertThat(status).as(method + " " + path + " for an admin").isIn(200, 204, 404);
    }

    @Test
    void aNonAdminCannotMakeThemselvesAdmin() {
        JsonPath user = AuthClient.signedIn();
        send(as(user), "PUT", "/admin/accounts/" + user.getString("user.id") + "/roles/admin").then().statusCode(403);
        assertThat(OwnerDatabase.text("SELECT roles FROM account WHERE id = ?::uuid", user.getString("user.id"))).isEqualTo("user");
    }

    @Test
    void aLockedAccountCannotSignInOrRefreshAndItsSessionsEnd() {
        String email = newAccount();
        JsonPath session = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath();
        String id = session.getString("user.id");
        JsonPath admin = Admins.signedIn();

        send(as(admin), "POST", "/admin/accounts/" + id + "/lock").then().statusCode(204);

        // The right password gets exactly the wrong password's answer: the lock tells a guesser nothing.
        Response locked = AuthClient.login(email, PASSWORD);
        Response wrong = AuthClient.login(email, PASSWORD + "x");
        locked.then().statusCode(401);
        assertThat(locked.jsonPath().getString("detail")).isEqualTo(wrong.jsonPath().getString("detail"));
        AuthClient.refresh(session.getString("refreshToken")).then().statusCode(401);
        given().auth().oauth2(session.getString("accessToken")).get("/sessions").then().statusCode(401);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event WHERE account_id = ?::uuid AND type = 'ACCOUNT_LOCKED' "
                + "AND actor_id = ?::uuid", id, admin.getString("user.id"))).isEqualTo(1);
        send(as(admin), "GET", "/admin/accounts/" + id).then().statusCode(200);
        assertThat(send(as(admin), "GET", "/admin/accounts/" + id).jsonPath().getString("lockedAt")).isNotNull();

        send(as(admin), "POST", "/admin/accounts/" + id + "/unlock").then().statusCode(204);
        AuthClient.login(email, PASSWORD).then().statusCode(200);
    }

    /**
     * The attack (review of the merge): a locked account's right password must not be told apart from a wrong one by
     * the guess throttle either. It used to be checked against the real hash, and a match wiped the account's failure
     * count: a guesser with threshold - 1 failures could tell a right candidate by the missing 429 that followed.
     */
    @Test
    void aLockedAccountsRightPasswordCountsAsAFailedGuess() {
        String email = newAccount();
        String id = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath().getString("user.id");
        send(as(Admins.signedIn()), "POST", "/admin/accounts/" + id + "/lock").then().statusCode(204);
        String failures = GuessThrottle.failuresKey(Guesser.unknownClient(EmailAddress.normalise(email), "any").keys().get(0));

        AuthClient.login(email, PASSWORD + "x").then().statusCode(401);
        AuthClient.login(email, PASSWORD + "y").then().statusCode(401);
        assertThat(failureCount(failures)).isEqualTo("2");
        AuthClient.login(email, PASSWORD).then().statusCode(401);
        assertThat(failureCount(failures)).as("the right password of a locked account, a third failure").isEqualTo("3");
    }

    private static String failureCount(String key) {
        LocalStack stack = LocalStack.shared();
        try (RespClient operator = RespClient.as(stack.redis(), "default", LocalStack.redisPassword(stack.secrets(), "default"))) {
            return operator.call("GET", key);
        }
    }

    /** The lock in refresh itself, not only the revoked sessions: a session that a lock's revocation would miss. */
    @Test
    void aSessionOfALockedAccountDoesNotRefreshEvenIfNobodyRevokedIt() {
        String email = newAccount();
        JsonPath session = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath();
        OwnerDatabase.update("UPDATE account SET locked_at = now() WHERE email = ?", email);
        AuthClient.refresh(session.getString("refreshToken")).then().statusCode(401);
    }

    @Test
    void anAdminCannotRemoveTheirOwnAdminRoleNorLockThemselves() {
        JsonPath admin = Admins.signedIn();
        String self = admin.getString("user.id");
        send(as(admin), "DELETE", "/admin/accounts/" + self + "/roles/admin").then().statusCode(409)
                .contentType("application/problem+json");
        send(as(admin), "POST", "/admin/accounts/" + self + "/lock").then().statusCode(409);
        assertThat(OwnerDatabase.text("SELECT roles FROM account WHERE id = ?::uuid", self)).isEqualTo("user,admin");
        assertThat(OwnerDatabase.text("SELECT CAST(locked_at AS text) FROM account WHERE id = ?::uuid", self)).isNull();
        send(as(admin), "GET", "/admin/accounts/" + self).then().statusCode(200); // still an admin, still signed in
    }

    @Test
    void anAdminGrantsAndRemovesAnotherAccountsAdminRoleAndItsAdminSessionsEnd() {
        String email = newAccount();
        JsonPath admin = Admins.signedIn();
        String id = AuthClient.login(email, PASSWORD).jsonPath().getString("user.id");

        send(as(admin), "PUT", "/admin/accounts/" + id + "/roles/admin").then().statusCode(204);
        JsonPath promoted = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath();
        send(as(promoted), "GET", "/admin/accounts/" + id).then().statusCode(200);

        send(as(admin), "DELETE", "/admin/accounts/" + id + "/roles/admin").then().statusCode(204);
        send(as(promoted), "GET", "/admin/accounts/" + id).then().statusCode(401); // its admin token was revoked
        assertThat(OwnerDatabase.text("SELECT roles FROM account WHERE id = ?::uuid", id)).isEqualTo("user");
        assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event WHERE account_id = ?::uuid AND actor_id = ?::uuid "
                + "AND type IN ('ADMIN_ROLE_GRANTED', 'ADMIN_ROLE_REMOVED')", id, admin.getString("user.id"))).isEqualTo(2);
        send(as(admin), "PUT", "/admin/accounts/" + UUID.randomUUID() + "/roles/admin").then().statusCode(404);
        send(as(admin), "POST", "/admin/accounts/not-an-id/lock").then().statusCode(404);
    }

    @Test
    void noAdminViewCarriesAPasswordHashOrAToken() {
        String email = newAccount();
        JsonPath session = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath();
        String id = session.getString("user.id");
        String hash = OwnerDatabase.text("SELECT password_hash FROM account WHERE id = ?::uuid", id);
        JsonPath admin = Admins.signedIn();

        List<String> bodies = List.of(
                send(as(admin), "GET", "/admin/accounts?email=" + email).then().statusCode(200).extract().asString(),
                send(as(admin), "GET", "/admin/accounts/" + id).then().statusCode(200).extract().asString(),
                send(as(admin), "GET", "/admin/accounts/" + id + "/sessions").then().statusCode(200).extract().asString(),
                send(as(admin), "GET", "/admin/accounts/" + id + "/events").then().statusCode(200).extract().asString(),
                send(as(admin), "GET", "/admin/audit-events?account=" + id).then().statusCode(200).extract().asString());
        assertThat(bodies.get(0)).contains(id); // the control: the account is in the answers
        assertThat(bodies.get(2)).contains(session.getString("sessionId"));
        for (String body : bodies) {
            assertThat(body).doesNotContain(hash).doesNotContain(hash.substring(0, 20)).doesNotContainIgnoringCase("password_hash")
                    .doesNotContainIgnoringCase("passwordHash").doesNotContain(session.getString("refreshToken"))
                    .doesNotContain(session.getString("accessToken"));
        }
    }

    @Test
    void findsAccountsByExactEmailOrByPrefixAPageAtATime() {
        String prefix = "find-" + UUID.randomUUID() + "-";
        for (int i = 0; i < 3; i++) {
            AuthClient.register(prefix + i + "@example.com", PASSWORD, "Find").then().statusCode(AuthClient.REGISTERED);
        }
        JsonPath admin = Admins.signedIn();
        JsonPath first = send(as(admin), "GET", "/admin/accounts?match=prefix&size=2&email=" + prefix).then().statusCode(200)
                .extract().jsonPath();
        assertThat(first.getList("accounts.email", String.class)).containsExactly(prefix + "0@example.com", prefix + "1@example.com");
        JsonPath second = as(admin).queryParam("match", "prefix").queryParam("size", 2).queryParam("email", prefix)
                .queryParam("after", first.getString("next")).get("/admin/accounts").then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("accounts.email", String.class)).containsExactly(prefix + "2@example.com");
        assertThat(second.getString("next")).isNull();
        assertThat(send(as(admin), "GET", "/admin/accounts?email=" + prefix + "1@example.com").jsonPath()
                .getList("accounts.email", String.class)).containsExactly(prefix + "1@example.com");
        // A LIKE wildcard in the prefix matches only itself.
        assertThat(send(as(admin), "GET", "/admin/accounts?match=prefix&email=%25").jsonPath().getList("accounts")).isEmpty();
        send(as(admin), "GET", "/admin/accounts").then().statusCode(400).contentType("application/problem+json");
        send(as(admin), "GET", "/admin/accounts?email=x&size=0").then().statusCode(400);
        send(as(admin), "GET", "/admin/accounts?email=x&match=regex").then().statusCode(400);
        // A NUL, which PostgreSQL refuses in text: a 400 that says so, not a 500.
        as(admin).queryParam("email", "a\u0000b").get("/admin/accounts").then().statusCode(400);
        as(admin).queryParam("email", "a").queryParam("after", "a\u0000b").get("/admin/accounts").then().statusCode(400);
    }

    @Test
    void theAuditTrailIsReadByAccountTypeAndTimeAPageAtATime() {
        JsonPath session = AuthClient.signedIn();
        String id = session.getString("user.id");
        String email = session.getString("user.email");
        for (int i = 0; i < 3; i++) {
            AuthClient.login(email, PASSWORD + "wrong").then().statusCode(401);
        }
        JsonPath admin = Admins.signedIn();
        JsonPath first = as(admin).queryParam("account", id).queryParam("type", "LOGIN_FAILED").queryParam("size", 2)
                .get("/admin/audit-events").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("events.type", String.class)).containsExactly("LOGIN_FAILED", "LOGIN_FAILED");
        assertThat(first.getList("events.accountId", String.class)).containsOnly(id);
        JsonPath second = as(admin).queryParam("account", id).queryParam("type", "LOGIN_FAILED").queryParam("size", 2)
                .queryParam("before", first.getLong("next")).get("/admin/audit-events").then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("events.type", String.class)).containsExactly("LOGIN_FAILED");
        assertThat(second.getLong("events[0].id")).isLessThan(first.getLong("events[1].id"));
        assertThat(as(admin).queryParam("account", id).queryParam("since", "2000-01-01T00:00:00Z").queryParam("until", "2001-01-01T00:00:00Z")
                .get("/admin/audit-events").jsonPath().getList("events")).isEmpty();
        send(as(admin), "GET", "/admin/audit-events?type=NO_SUCH_TYPE").then().statusCode(400);
        send(as(admin), "GET", "/admin/audit-events?since=yesterday").then().statusCode(400);
        send(as(admin), "GET", "/admin/audit-events?size=201").then().statusCode(400);
        send(as(admin), "GET", "/admin/audit-events?before=-1").then().statusCode(400);
        send(as(admin), "GET", "/admin/audit-events?account=nobody").then().statusCode(400);
    }

    @Test
    void theAdminsOwnSessionsAndEventsOfAnotherAccountAreListed() {
        JsonPath session = AuthClient.signedIn();
        String id = session.getString("user.id");
        JsonPath admin = Admins.signedIn();
        List<Map<String, Object>> sessions = send(as(admin), "GET", "/admin/accounts/" + id + "/sessions").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0)).containsEntry("id", session.getString("sessionId")).containsEntry("current", false);
        assertThat(send(as(admin), "GET", "/admin/accounts/" + id + "/events").jsonPath().getList("events.type", String.class))
                .contains("REGISTERED", "LOGIN_SUCCEEDED");
        send(as(admin), "GET", "/admin/accounts/" + UUID.randomUUID() + "/events").then().statusCode(404);
    }
}
