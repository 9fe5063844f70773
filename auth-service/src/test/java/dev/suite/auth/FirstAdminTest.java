package dev.suite.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.suite.auth.account.FirstAdmin;
import dev.suite.auth.session.PasswordChangeOnly;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

/**
 * The first admin without SQL (issue 23, item 2): made once per address however many replicas start at once, its
 * initial password good for one thing only (choosing a new one), a later start changing nothing, and an account that
 * squatted the address before promoted without its squatter keeping a way in. Each test names an address of its own
 * (the bootstrap is once per address), calling what the service runs at start ({@link FirstAdmin#ensure}).
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class FirstAdminTest {

    private static final String INITIAL = "initial-admin-passphrase-" + UUID.randomUUID();
    private static final String CHOSEN = "the admin's own new passphrase, long enough";

    @Inject
    FirstAdmin firstAdmin;

    private FirstAdmin.Result ensure(String email, String password) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> firstAdmin.ensure(email, password));
    }

    /** Replicas starting at the same moment: each runs the bootstrap on a connection of its own, at once. */
    @Test
    void replicasStartingAtOnceMakeOneAdminOnce() throws Exception {
        String email = "first-admin-" + UUID.randomUUID() + "@example.com";
        int replicas = 6;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService starts = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<FirstAdmin.Result>> results = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                results.add(starts.submit(() -> {
                    go.await();
                    try {
                        return ensure(email, INITIAL);
                    } catch (Throwable failure) {
                        throw new AssertionError("a replica's start failed", failure);
                    }
                }));
            }
            go.countDown();
            List<FirstAdmin.Outcome> outcomes = new ArrayList<>();
            List<UUID> accounts = new ArrayList<>();
            for (Future<FirstAdmin.Result> result : results) {
                outcomes.add(result.get().outcome());
                accounts.add(result.get().accountId());
            }
            assertThat(outcomes).containsOnlyOnce(FirstAdmin.Outcome.CREATED).containsOnly(FirstAdmin.Outcome.CREATED,
                    FirstAdmin.Outcome.DONE_BEFORE);
            assertThat(accounts).containsOnly(accounts.get(0));
        } finally {
            starts.shutdownNow();
        }
        assertThat(OwnerDatabase.count("SELECT count(*) FROM account WHERE email = ?", email)).isEqualTo(1);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM account WHERE email = ? AND roles = 'user,admin' "
                + "AND password_change_required", email)).isEqualTo(1);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event e JOIN account a ON a.id = e.account_id "
                + "WHERE a.email = ? AND e.type = 'ADMIN_BOOTSTRAPPED' AND e.detail = 'created'", email)).isEqualTo(1);
    }

    @Test
    void theFirstSignInMayOnlyChooseANewPasswordThenTheAdminIsAnAdmin() throws Throwable {
        String email = "first-admin-" + UUID.randomUUID() + "@example.com";
        assertThat(ensure(email, INITIAL).outcome()).isEqualTo(FirstAdmin.Outcome.CREATED);

        JsonPath first = AuthClient.login(email, INITIAL).then().statusCode(200)
                .body("passwordChangeRequired", equalTo(true)).extract().jsonPath();
        assertThat(groupsOf(first.getString("accessToken"))).containsExactly(PasswordChangeOnly.GROUP);
        assertOnlyThePasswordChangeAndLogoutAdmit(first);
        // A refresh does not get it out of its corner.
        JsonPath refreshed = AuthClient.refresh(first.getString("refreshToken")).then().statusCode(200)
                .body("passwordChangeRequired", equalTo(true)).extract().jsonPath();
        assertThat(groupsOf(refreshed.getString("accessToken"))).containsExactly(PasswordChangeOnly.GROUP);

        given().auth().oauth2(refreshed.getString("accessToken")).contentType("application/json")
                .body(Map.of("currentPassword", INITIAL, "newPassword", CHOSEN)).post("/password").then().statusCode(204);
        JsonPath admin = AuthClient.refresh(refreshed.getString("refreshToken")).then().statusCode(200)
                .body("passwordChangeRequired", equalTo(false)).extract().jsonPath();
        assertThat(groupsOf(admin.getString("accessToken"))).containsExactlyInAnyOrder("user", "admin");
        given().auth().oauth2(admin.getString("accessToken")).get("/admin/keys").then().statusCode(200);
        given().auth().oauth2(admin.getString("accessToken")).get("/sessions").then().statusCode(200);

        // A later start (the same configuration, the same initial password) changes nothing.
        assertThat(ensure(email, INITIAL).outcome()).isEqualTo(FirstAdmin.Outcome.DONE_BEFORE);
        AuthClient.login(email, INITIAL).then().statusCode(401);
        AuthClient.login(email, CHOSEN).then().statusCode(200).body("passwordChangeRequired", equalTo(false));
    }

    /**
     * The attack: someone registered the admin's address before the bootstrap. Promotion gives the account the admin
     * role and the initial password; the squatter's password stops working and their session ends, so no refresh of
     * theirs ever mints an admin token.
     */
    @Test
    void anAccountRegisteredUnderTheAdminsAddressBeforeIsPromotedWithoutItsSquatterInside() throws Throwable {
        String email = "first-admin-" + UUID.randomUUID() + "@example.com";
        AuthClient.register(email, AuthClient.PASSWORD, "Squatter").then().statusCode(AuthClient.REGISTERED);
        JsonPath squatter = AuthClient.login(email, AuthClient.PASSWORD).then().statusCode(200).extract().jsonPath();

        assertThat(ensure(email, INITIAL).outcome()).isEqualTo(FirstAdmin.Outcome.PROMOTED);

        AuthClient.login(email, AuthClient.PASSWORD).then().statusCode(401);
        AuthClient.refresh(squatter.getString("refreshToken")).then().statusCode(401);
        given().auth().oauth2(squatter.getString("accessToken")).get("/sessions").then().statusCode(401);
        JsonPath first = AuthClient.login(email, INITIAL).then().statusCode(200).body("passwordChangeRequired", equalTo(true))
                .extract().jsonPath();
        assertThat(groupsOf(first.getString("accessToken"))).containsExactly(PasswordChangeOnly.GROUP);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event WHERE type = 'ADMIN_BOOTSTRAPPED' AND detail = 'promoted' "
                + "AND account_id = ?", UUID.fromString(squatter.getString("user.id")))).isEqualTo(1);
    }

    @Test
    void aStartWithAnInitialPasswordThePolicyRefusesMakesNoAdmin() {
        String email = "first-admin-" + UUID.randomUUID() + "@example.com";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ensure(email, "password")).isInstanceOf(dev.suite.problem.Problem.class);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM account WHERE email = ?", email)).isZero();
    }

    /**
     * The class of bug, closed where it is decided: of every resource method of the service, only the password change
     * and the logout admit a session that must change its password. A new route admits it only by naming the group.
     */
    @Test
    void onlyThePasswordChangeAndTheLogoutNameThePasswordChangeGroup() throws IOException {
        List<String> admitting = new ArrayList<>();
        Path classes = Path.of("target/classes");
        try (Stream<Path> files = Files.walk(classes.resolve("dev/suite/auth"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, getClass().getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    RolesAllowed roles = method.getAnnotation(RolesAllowed.class);
                    if (roles == null) {
                        roles = type.getAnnotation(RolesAllowed.class);
                    }
                    if (roles != null && Arrays.asList(roles.value()).contains(PasswordChangeOnly.GROUP)) {
                        admitting.add(type.getSimpleName() + "." + method.getName());
                    }
                }
            }
        }
        assertThat(admitting).containsExactlyInAnyOrder("PasswordChangeResource.change", "SessionResource.logout");
    }

    /** Every other route of the service refuses the session; the logout ends it. */
    private static void assertOnlyThePasswordChangeAndLogoutAdmit(JsonPath restricted) {
        String token = restricted.getString("accessToken");
        List<Response> refused = List.of(
                given().auth().oauth2(token).get("/sessions"),
                given().auth().oauth2(token).delete("/sessions/" + restricted.getString("sessionId")),
                given().auth().oauth2(token).post("/logout-all"),
                given().auth().oauth2(token).get("/admin/keys"),
                given().auth().oauth2(token).post("/admin/keys/rotation"),
                given().auth().oauth2(token).contentType("application/json").body(Map.of("userId", UUID.randomUUID().toString()))
                        .post("/admin/revocations"),
                given().auth().oauth2(token).contentType("application/json").body(Map.of("currentPassword", INITIAL))
                        .delete("/internal/accounts/" + restricted.getString("user.id")));
        for (Response response : refused) {
            response.then().statusCode(403);
        }
        // Wrong current password: the route admits the session and the check refuses the guess.
        given().auth().oauth2(token).contentType("application/json").body(Map.of("currentPassword", "not the initial one at all",
                "newPassword", CHOSEN)).post("/password").then().statusCode(403).body("detail", equalTo("The current password is incorrect."));
    }

    private static List<String> groupsOf(String accessToken) {
        String payload = new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]), StandardCharsets.UTF_8);
        return new JsonObject(payload).getJsonArray("groups").stream().map(String::valueOf).toList();
    }
}
