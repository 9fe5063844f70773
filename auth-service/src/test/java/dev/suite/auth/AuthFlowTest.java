package dev.suite.auth;

import static dev.suite.auth.AuthClient.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import dev.suite.tokenguard.TokenGuard;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** The auth API end to end against the real PostgreSQL and Redis: DESIGN.md invariants 1-4, 6 and 9. */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
@QuarkusTestResource(OwnIssuerUrl.class) // global: every test of this module runs the service at its issuer URL
class AuthFlowTest {

    @Inject
    TokenGuard guard;

    @Inject
    Pool database;

    @Test
    void registerNormalisesEmailsAndATakenEmailChangesNothing() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        AuthClient.register("  Mixed.Case-" + id + "@Example.COM ", PASSWORD, "<script>alert(1)</script>")
                .then().statusCode(AuthClient.REGISTERED);
        AuthClient.register("mixed.case-" + id + "@example.com", "another-long-passphrase-of-the-prober", "Someone")
                .then().statusCode(AuthClient.REGISTERED);
        assertThat(count("SELECT count(*) FROM account WHERE email = $1", "mixed.case-" + id + "@example.com")).isEqualTo(1);
        AuthClient.login("mixed.case-" + id + "@example.com", PASSWORD).then().statusCode(200)
                .body("user.email", equalTo("mixed.case-" + id + "@example.com"))
                .body("user.displayName", equalTo("<script>alert(1)</script>"))
                .body("user", not(org.hamcrest.Matchers.hasKey("passwordHash")));
    }

    @Test
    void weakPasswordsAreRefusedWithAProblemThatNamesTheRuleAndLeaveNoRow() {
        String email = AuthClient.newEmail();
        Map<String, String> weak = Map.of(
                "fourteen-chars", "short password",
                "123456789987654321", "too common",
                email.substring(0, email.indexOf('@')) + "-extra", "your email",
                "Peregrine Falcon is my name", "display name",
                "x".repeat(129), "at most 128",
                "123456789012345", "too easy to guess",
                "passwordpassword1", "too easy to guess",
                "thequickbrownfoxjumpsoverthelazydog", "too easy to guess");
        weak.forEach((password, rule) -> AuthClient.register(email, password, "Peregrine Falcon")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString(rule.equals("short password") ? "at least 15" : rule))
                .body(not(containsString(password))));
        assertThat(count("SELECT count(*) FROM account WHERE email = $1", email)).isZero();
        AuthClient.register(email, AuthClient.passphrase(128), "Peregrine Falcon").then().statusCode(AuthClient.REGISTERED);
    }

    @Test
    void malformedInputGetsA400ProblemNeverA500() {
        given().contentType(ContentType.JSON).body("{not json").post("/register").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
        given().contentType(ContentType.JSON).body("[]").post("/login").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{}").post("/login").then().statusCode(400);
        // Bounded before decoding: a body far beyond any real request, or an email far beyond any address.
        given().contentType(ContentType.JSON).body("{\"email\":\"" + "a".repeat(70_000) + "\"}").post("/login").then().statusCode(413);
        AuthClient.login("\u0301".repeat(5_000) + "a@example.com", PASSWORD).then().statusCode(400);
        AuthClient.register("no-at-sign", PASSWORD, "x").then().statusCode(400);
        AuthClient.register(AuthClient.newEmail(), PASSWORD, "bell\u0007").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{}").post("/refresh").then().statusCode(401);
    }

    @Test
    void everyCharacterCountsAtLogin() {
        String email = AuthClient.newEmail();
        String password = AuthClient.passphrase(89) + "Q" + AuthClient.passphrase(10);
        AuthClient.register(email, password, "Long Password").then().statusCode(AuthClient.REGISTERED);
        AuthClient.login(email, AuthClient.passphrase(89) + "Z" + AuthClient.passphrase(10)).then().statusCode(401);
        AuthClient.login(email, password).then().statusCode(200);
    }

    @Test
    void unknownEmailAndWrongPasswordGetTheSameAnswer() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Known User").then().statusCode(AuthClient.REGISTERED);
        String wrong = AuthClient.login(email, PASSWORD + "!").then().statusCode(401).extract().asString();
        String unknown = AuthClient.login(AuthClient.newEmail(), PASSWORD).then().statusCode(401).extract().asString();
        assertThat(unknown).isEqualTo(wrong);
    }

    @Test
    void loginIssuesAnEs256AtJwtWhoseKeyIsPublishedAndARefreshToken() {
        JsonPath login = AuthClient.signedIn();
        String access = login.getString("accessToken");
        JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(access.split("\\.")[0]), StandardCharsets.UTF_8));
        assertThat(header.getString("typ")).isEqualTo("at+jwt");
        assertThat(header.getString("alg")).isEqualTo("ES256");
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(access.split("\\.")[1]), StandardCharsets.UTF_8));
        // The issuer is where this service answers: the URL the tests reach it at.
        assertThat(claims.getString("iss")).isEqualTo("http://localhost:" + io.restassured.RestAssured.port);
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys.kid", hasItem(header.getString("kid")))
                .body("keys[0]", not(org.hamcrest.Matchers.hasKey("d")));
        assertThat(Base64.getUrlDecoder().decode(login.getString("refreshToken"))).hasSize(32);
        assertThat(guard.check(access).await().atMost(Duration.ofSeconds(5)).sessionId()).isEqualTo(login.getString("sessionId"));
    }

    @Test
    void refreshRotatesAndReuseAfterTheGraceWindowKillsTheFamily() throws InterruptedException {
        JsonPath login = AuthClient.signedIn();
        String first = login.getString("refreshToken");
        JsonPath rotated = AuthClient.refresh(first).then().statusCode(200).extract().jsonPath();
        String second = rotated.getString("refreshToken");
        assertThat(second).isNotEqualTo(first);
        accepted(rotated.getString("accessToken"));

        Thread.sleep(1200); // past the test's 1 s grace window
        AuthClient.refresh(first).then().statusCode(401);

        refused(login.getString("accessToken"));
        refused(rotated.getString("accessToken"));
        AuthClient.refresh(second).then().statusCode(401);
        // The audit trail is append-only for auth_app: read it as the owner.
        assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event WHERE type = 'REFRESH_REUSE_DETECTED' AND session_id = ?::uuid",
                login.getString("sessionId"))).isEqualTo(1);
    }

    @Test
    void twoTabsRefreshingTogetherBothStaySignedInWithOneLiveFamily() {
        JsonPath login = AuthClient.signedIn();
        String shared = login.getString("refreshToken");
        CompletableFuture<io.restassured.response.Response> tabA = CompletableFuture.supplyAsync(() -> AuthClient.refresh(shared));
        CompletableFuture<io.restassured.response.Response> tabB = CompletableFuture.supplyAsync(() -> AuthClient.refresh(shared));
        io.restassured.response.Response a = tabA.join();
        io.restassured.response.Response b = tabB.join();
        assertThat(List.of(a.statusCode(), b.statusCode())).containsExactly(200, 200);
        assertThat(a.jsonPath().getString("sessionId")).isEqualTo(login.getString("sessionId"));
        assertThat(b.jsonPath().getString("sessionId")).isEqualTo(login.getString("sessionId"));
        assertThat(count("SELECT count(*) FROM auth_session WHERE account_id = $1::uuid AND revoked_at IS NULL",
                login.getString("user.id"))).isEqualTo(1);
        // Both tabs hold the same successor: one family, one live refresh token, and it works.
        assertThat(b.jsonPath().getString("refreshToken")).isEqualTo(a.jsonPath().getString("refreshToken"));
        accepted(a.jsonPath().getString("accessToken"));
        accepted(b.jsonPath().getString("accessToken"));
        AuthClient.refresh(a.jsonPath().getString("refreshToken")).then().statusCode(200);
    }

    @Test
    void replayInTheSameSecondAsTheRotationIsTheRaceButReplayAfterTheSuccessorWasUsedKillsTheFamily() {
        JsonPath login = AuthClient.signedIn();
        String first = login.getString("refreshToken");
        String second = AuthClient.refresh(first).then().statusCode(200).extract().jsonPath().getString("refreshToken");
        assertThat(AuthClient.refresh(first).then().statusCode(200).extract().jsonPath().getString("refreshToken"))
                .isEqualTo(second);
        JsonPath third = AuthClient.refresh(second).then().statusCode(200).extract().jsonPath();
        AuthClient.refresh(first).then().statusCode(401); // within the window, but the successor was used
        refused(third.getString("accessToken"));
        AuthClient.refresh(third.getString("refreshToken")).then().statusCode(401);
    }

    @Test
    void logoutRevokesTheSessionAtOnce() {
        JsonPath login = AuthClient.signedIn();
        String access = login.getString("accessToken");
        given().auth().oauth2(access).post("/logout").then().statusCode(204);
        refused(access);
        AuthClient.refresh(login.getString("refreshToken")).then().statusCode(401);
        given().auth().oauth2(access).post("/logout").then().statusCode(401);
    }

    @Test
    void logoutAllAndPasswordChangeEndTheOtherSessions() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Many Devices").then().statusCode(AuthClient.REGISTERED);
        JsonPath laptop = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath();
        JsonPath phone = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath();

        String newPassword = "a brand new and long passphrase";
        given().auth().oauth2(laptop.getString("accessToken")).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", PASSWORD, "newPassword", newPassword))
                .post("/password").then().statusCode(204);
        refused(phone.getString("accessToken"));
        accepted(laptop.getString("accessToken"));
        AuthClient.login(email, PASSWORD).then().statusCode(401);
        JsonPath tablet = AuthClient.login(email, newPassword).then().statusCode(200).extract().jsonPath();

        given().auth().oauth2(tablet.getString("accessToken")).post("/logout-all").then().statusCode(204);
        refused(laptop.getString("accessToken"));
        refused(tablet.getString("accessToken"));
    }

    @Test
    void wrongCurrentPasswordChangesNothing() {
        JsonPath login = AuthClient.signedIn();
        given().auth().oauth2(login.getString("accessToken")).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", "not the password at all", "newPassword", "another fine passphrase"))
                .post("/password").then().statusCode(403);
        AuthClient.login(login.getString("user.email"), PASSWORD).then().statusCode(200);
    }

    @Test
    void adminRevokesATokenASessionOrAUserAndOthersCannot() {
        String adminEmail = AuthClient.newEmail();
        AuthClient.register(adminEmail, PASSWORD, "Admin").then().statusCode(AuthClient.REGISTERED);
        OwnerDatabase.update("UPDATE account SET roles = 'user,admin' WHERE email = ?", adminEmail);
        String admin = AuthClient.login(adminEmail, PASSWORD).then().statusCode(200).extract().jsonPath().getString("accessToken");

        JsonPath victim = AuthClient.signedIn();
        given().auth().oauth2(victim.getString("accessToken")).contentType(ContentType.JSON)
                .body(Map.of("userId", victim.getString("user.id"))).post("/admin/revocations").then().statusCode(403);

        String jti = claims(victim.getString("accessToken")).getString("jti");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("tokenId", jti))
                .post("/admin/revocations").then().statusCode(204);
        refused(victim.getString("accessToken"));

        JsonPath other = AuthClient.signedIn();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("sessionId", other.getString("sessionId")))
                .post("/admin/revocations").then().statusCode(204);
        refused(other.getString("accessToken"));

        JsonPath third = AuthClient.signedIn();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("userId", third.getString("user.id")))
                .post("/admin/revocations").then().statusCode(204);
        refused(third.getString("accessToken"));
        AuthClient.refresh(third.getString("refreshToken")).then().statusCode(401);

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of())
                .post("/admin/revocations").then().statusCode(400);
    }

    @Test
    void repeatedFailuresBackOffWith429ForKnownAndUnknownEmailsAlikeThenLetGo() throws InterruptedException {
        String known = AuthClient.newEmail();
        AuthClient.register(known, PASSWORD, "Locked Out").then().statusCode(AuthClient.REGISTERED);
        for (String email : List.of(known, AuthClient.newEmail())) {
            for (int i = 0; i < 5; i++) {
                AuthClient.login(email, "definitely wrong password").then().statusCode(401);
            }
            AuthClient.login(email, PASSWORD).then().statusCode(429).header("Retry-After", equalTo("1"))
                    .contentType("application/problem+json");
        }
        Thread.sleep(1100); // the first lock lasts the base delay (1 s in tests)
        AuthClient.login(known, PASSWORD).then().statusCode(200);
        AuthClient.login(known, "definitely wrong password").then().statusCode(401); // counter was reset by the success
    }

    @Test
    void anOutdatedHashIsUpgradedAtTheNextLogin() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Old Hash").then().statusCode(AuthClient.REGISTERED);
        // A bcrypt hash of cost 5 (the test profile hashes with cost 4): what a config change leaves behind.
        String old = dev.suite.auth.password.TestHashes.bcryptCost5(PASSWORD);
        database.preparedQuery("UPDATE account SET password_hash = $1 WHERE email = $2").execute(Tuple.of(old, email))
                .await().indefinitely();
        AuthClient.login(email, PASSWORD).then().statusCode(200);
        String upgraded = database.preparedQuery("SELECT password_hash FROM account WHERE email = $1").execute(Tuple.of(email))
                .await().indefinitely().iterator().next().getString(0);
        assertThat(upgraded).startsWith("$sv1$none$$2b$04$").isNotEqualTo(old);
        AuthClient.login(email, PASSWORD).then().statusCode(200);
    }

    @Test
    void noPasswordOrTokenEverReachesTheLog() throws Exception {
        String email = AuthClient.newEmail();
        String password = "log-canary-" + UUID.randomUUID();
        AuthClient.register(email, password, "Log Tester").then().statusCode(AuthClient.REGISTERED);
        JsonPath login = AuthClient.login(email, password).then().statusCode(200).extract().jsonPath();
        AuthClient.login(email, password + "x").then().statusCode(401);
        JsonPath rotated = AuthClient.refresh(login.getString("refreshToken")).then().statusCode(200).extract().jsonPath();
        given().auth().oauth2("garbage." + password).post("/logout").then().statusCode(401);

        String log = java.nio.file.Files.readString(java.nio.file.Path.of("target/auth-service-test.log"));
        assertThat(log).contains("LOGIN_SUCCEEDED"); // the audit trail is there...
        for (String secret : List.of(password, login.getString("accessToken"), login.getString("refreshToken"),
                rotated.getString("refreshToken"), rotated.getString("accessToken").split("\\.")[2])) {
            assertThat(log).doesNotContain(secret); // ...the secrets are not
        }
        assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event WHERE detail LIKE ?", "%" + password + "%")).isZero();
    }

    private void accepted(String accessToken) {
        assertThat(guard.check(accessToken).await().atMost(Duration.ofSeconds(5))).isNotNull();
    }

    private void refused(String accessToken) {
        assertThatThrownBy(() -> guard.check(accessToken).await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(io.quarkus.security.AuthenticationFailedException.class);
    }

    private static JsonObject claims(String token) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private long count(String sql, String parameter) {
        return database.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().iterator().next().getLong(0);
    }
}
