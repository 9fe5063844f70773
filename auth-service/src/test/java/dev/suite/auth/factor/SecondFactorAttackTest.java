package dev.suite.auth.factor;

import static dev.suite.auth.factor.SecondFactorClient.challenge;
import static dev.suite.auth.factor.SecondFactorClient.code;
import static dev.suite.auth.factor.SecondFactorClient.secondStep;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.auth.OwnerDatabase;
import dev.suite.auth.throttle.GuessThrottle;
import dev.suite.fixtures.SharedStack;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.RespClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * The attacks on the second factor (issue 22), each against the real service, PostgreSQL and Redis, with production
 * throttle settings: each request from a client address of its own (AuthClient), as through the gateway.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class SecondFactorAttackTest {

    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(10);

    @Test
    void aRightPasswordAloneGetsAChallengeNotASessionAndTheSecondStepOpensOneWithAmrAndAuthTime() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();

        Response first = AuthClient.login(account.email(), AuthClient.PASSWORD);
        first.then().statusCode(202);
        SecondFactorClient.assertNoSession(first);
        assertThat(first.jsonPath().getBoolean("secondFactorRequired")).isTrue();

        JsonPath session = secondStep(first.jsonPath().getString("challenge"), code(account.secret(), 0))
                .then().statusCode(200).extract().jsonPath();
        JsonObject claims = SecondFactorClient.claims(session.getString("accessToken"));
        assertThat(claims.getJsonArray("amr").getList()).containsExactly("pwd", "otp", "mfa");
        long authTime = claims.getLong("auth_time");
        assertThat(authTime).isCloseTo(claims.getLong("iat"), org.assertj.core.data.Offset.offset(5L));

        // A refreshed token says the same: how and when the user signed in, not when the token was made.
        JsonObject refreshed = SecondFactorClient.claims(AuthClient.refresh(session.getString("refreshToken"))
                .then().statusCode(200).extract().path("accessToken"));
        assertThat(refreshed.getJsonArray("amr").getList()).containsExactly("pwd", "otp", "mfa");
        assertThat(refreshed.getLong("auth_time")).isEqualTo(authTime);

        // Without a factor nothing changes: 200 and a password-only token.
        JsonPath plain = AuthClient.signedIn();
        assertThat(SecondFactorClient.claims(plain.getString("accessToken")).getJsonArray("amr").getList()).containsExactly("pwd");
    }

    /**
     * Merge of issues 22 and 23: an admin locks the account between the password step and the code step (a stolen
     * password and a phished code, the account locked by its admin meanwhile). The right code must not open a session.
     */
    @Test
    void anAccountLockedAfterThePasswordStepGetsNoSessionFromTheCode() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        String challenge = challenge(account.email());
        OwnerDatabase.update("UPDATE account SET locked_at = now() WHERE email = ?", account.email());

        Response second = secondStep(challenge, code(account.secret(), 0));
        second.then().statusCode(401);
        SecondFactorClient.assertNoSession(second);
    }

    @Test
    void aReplayedTotpCodeIsRefusedEvenWithANewChallenge() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        String used = code(account.secret(), 0);
        secondStep(challenge(account.email()), used).then().statusCode(200);

        Response replay = secondStep(challenge(account.email()), used);

        replay.then().statusCode(401);
        SecondFactorClient.assertNoSession(replay);
        // The next step's code still works: the owner is not locked out by the refusal.
        secondStep(challenge(account.email()), code(account.secret(), 1)).then().statusCode(200);
    }

    @Test
    void guessingCodesIsThrottledLikePasswordsAcrossClientAddressesAndTheRightCodeWaitsToo() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        String challenge = challenge(account.email());
        for (int i = 0; i < 5; i++) {
            secondStep(challenge, String.format("%06d", i)).then().statusCode(401);
        }

        Response locked = secondStep(challenge, code(account.secret(), 0));

        locked.then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        SecondFactorClient.assertNoSession(locked);
    }

    /**
     * The attack (review of the merges, high): the right password clears the guess counters of its guesser, and wrong
     * codes were counted under those same keys, so a password holder could sign in again after every four wrong codes
     * and guess codes without ever reaching the limit. The account's code counter must survive the right password.
     */
    @Test
    void aRightPasswordBetweenWrongCodesDoesNotStartTheCodeCountOver() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        String accountId = account.firstSession().getString("user.id");
        for (int round = 0; round < 2; round++) {
            String challenge = challenge(account.email()); // the right password: 202, its counters cleared
            for (int i = 0; i < 3; i++) {
                secondStep(challenge, code(account.secret(), 5 + i)).then().statusCode(org.hamcrest.Matchers.oneOf(401, 429));
            }
        }
        LocalStack stack = LocalStack.shared();
        try (RespClient operator = RespClient.as(stack.redis(), "default", LocalStack.redisPassword(stack.secrets(), "default"))) {
            // 6 wrong codes across two right passwords, counted: the sixth is refused unjudged (429) while the fifth's lock
            // lasts, judged and counted once it is over (the test profile's lock is 1 s).
            assertThat(operator.call("GET", GuessThrottle.failuresKey("factor:" + accountId))).as("wrong codes across two right passwords").isIn("5", "6");
        }
    }

    @Test
    void theSecondStepWithoutTheFirstIsRefused() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        String madeUp = Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));

        secondStep(madeUp, code(account.secret(), 0)).then().statusCode(401);
        AuthClient.from(AuthClient.newClientAddress()).body(Map.of("code", code(account.secret(), 0))).post("/login/second-factor")
                .then().statusCode(400);
        // The challenge is no bearer token: it opens nothing but the second step.
        given().auth().oauth2(madeUp).get("/sessions").then().statusCode(401);
    }

    @Test
    void aChallengeIsSpentByTheSignInItCompletes() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        String challenge = challenge(account.email());
        secondStep(challenge, code(account.secret(), 0)).then().statusCode(200);

        Response again = secondStep(challenge, code(account.secret(), 1));

        again.then().statusCode(401);
        SecondFactorClient.assertNoSession(again);
    }

    @Test
    void oneChallengeSentManyTimesAtOnceWithDifferentGoodCodesOpensOneSession() throws Exception {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        String challenge = challenge(account.email());

        // Six valid codes, each its own row (no lock in common), all at once: only the challenge can decide.
        List<CompletableFuture<Integer>> answers = account.recoveryCodes().subList(0, 6).stream()
                .map(code -> CompletableFuture.supplyAsync(() -> secondStep(challenge, code).statusCode(), POOL)).toList();

        List<Integer> statuses = answers.stream().map(CompletableFuture::join).toList();
        // Never two sessions. The others: 401 (challenge spent), 429 once their guesses locked the account's counter, or
        // 503 when Redis did not answer within its bound on this busy machine (fail closed).
        assertThat(statuses).filteredOn(status -> status == 200).hasSizeLessThanOrEqualTo(1);
        assertThat(statuses).filteredOn(status -> status != 200).allMatch(status -> status == 401 || status == 429 || status == 503);
    }

    @Test
    void anExpiredChallengeIsRefused() throws InterruptedException {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        String challenge = challenge(account.email());

        Thread.sleep(9_000); // %test.auth.second-factor.challenge-lifetime=PT8S

        secondStep(challenge, code(account.secret(), 0)).then().statusCode(401);
    }

    @Test
    void anotherAccountsChallengeOrCodeOpensNothing() {
        SecondFactorClient.Enrolled victim = SecondFactorClient.enrolled();
        SecondFactorClient.Enrolled attacker = SecondFactorClient.enrolled();

        // The attacker knows the victim's password, not the victim's authenticator: their own codes do not fit.
        secondStep(challenge(victim.email()), code(attacker.secret(), 0)).then().statusCode(401);
        secondStep(challenge(victim.email()), attacker.recoveryCodes().get(0)).then().statusCode(401);
        // And a code of the victim's (shoulder-surfed) on the attacker's own challenge signs the attacker in as nobody else.
        secondStep(challenge(attacker.email()), code(victim.secret(), 0)).then().statusCode(401);
    }

    @Test
    void aRecoveryCodeSignsInOnceAndTheCountGoesDown() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        assertThat(account.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();
        String recovery = account.recoveryCodes().get(3);

        JsonPath session = secondStep(challenge(account.email()), recovery.toUpperCase()).then().statusCode(200).extract().jsonPath();
        assertThat(SecondFactorClient.claims(session.getString("accessToken")).getJsonArray("amr").getList()).containsExactly("pwd", "mfa");

        secondStep(challenge(account.email()), recovery).then().statusCode(401);
        given().auth().oauth2(session.getString("accessToken")).get("/factors").then().statusCode(200)
                .body("totp", org.hamcrest.Matchers.equalTo("confirmed")).body("recoveryCodesLeft", org.hamcrest.Matchers.equalTo(9));
        // Stored as digests only.
        assertThat(OwnerDatabase.count("SELECT count(*) FROM auth.recovery_code WHERE code_hash = ?", recovery)).isZero();
    }

    @Test
    void theTotpSecretIsNotInTheDatabaseInClear() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        String accountId = SecondFactorClient.claims(account.accessToken()).getString("sub");

        String row = OwnerDatabase.text("SELECT encode(sealed_secret, 'hex') || ' ' || sealed_by FROM auth.totp_factor WHERE account_id = ?",
                UUID.fromString(accountId));

        assertThat(row).isNotNull();
        String base32 = TotpCodes.base32(account.secret());
        assertThat(row).doesNotContainIgnoringCase(HexFormat.of().formatHex(account.secret()))
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(base32.getBytes(StandardCharsets.US_ASCII)))
                .doesNotContain(base32);
    }

    /**
     * Issue 23 item 3 with issue 22: an admin with a second factor acts on accounts only soon after a sign-in with it. A
     * session stolen or left open long after its sign-in can read, but not lock, unlock, grant or remove the admin role.
     */
    @Test
    void anAdminWithASecondFactorActsOnAccountsOnlySoonAfterSigningInWithIt() {
        SecondFactorClient.Enrolled admin = SecondFactorClient.enrolled();
        OwnerDatabase.update("UPDATE account SET roles = 'user,admin' WHERE email = ?", admin.email());
        JsonPath session = secondStep(challenge(admin.email()), code(admin.secret(), 0)).then().statusCode(200).extract().jsonPath();
        String target = AuthClient.signedIn().getString("user.id");
        String recent = session.getString("accessToken");
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(recent).post("/admin/accounts/" + target + "/lock").then().statusCode(204);

        OwnerDatabase.update("UPDATE auth.auth_session SET auth_time = now() - interval '11 minutes' WHERE id = ?",
                UUID.fromString(session.getString("sessionId")));
        String stale = AuthClient.refresh(session.getString("refreshToken")).then().statusCode(200).extract().path("accessToken");
        given().auth().oauth2(stale).get("/admin/accounts/" + target).then().statusCode(200);
        for (String[] action : List.of(new String[] { "POST", "/unlock" }, new String[] { "POST", "/lock" },
                new String[] { "PUT", "/roles/admin" }, new String[] { "DELETE", "/roles/admin" })) {
            AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(stale).request(action[0], "/admin/accounts/" + target + action[1])
                    .then().statusCode(403).header("WWW-Authenticate", org.hamcrest.Matchers.containsString("insufficient_user_authentication"));
        }
    }

    @Test
    void turningTheFactorOffNeedsARecentSignInWithIt() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        JsonPath session = secondStep(challenge(account.email()), code(account.secret(), 0)).then().statusCode(200).extract().jsonPath();
        // The session signed in 11 minutes ago (the window is 10): its refreshed token says so.
        OwnerDatabase.update("UPDATE auth.auth_session SET auth_time = now() - interval '11 minutes' WHERE id = ?",
                UUID.fromString(session.getString("sessionId")));
        String stale = AuthClient.refresh(session.getString("refreshToken")).then().statusCode(200).extract().path("accessToken");

        given().auth().oauth2(stale).delete("/factors/totp").then().statusCode(403)
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("insufficient_user_authentication"));
        given().auth().oauth2(stale).post("/factors/recovery-codes").then().statusCode(403);
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(stale)
                .body(Map.of("currentPassword", AuthClient.PASSWORD, "newPassword", "copper-walrus-juniper-77"))
                .post("/password").then().statusCode(403);
        // Moving the address (where the notices and reset links go) too (review of the merges, medium).
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(stale)
                .body(Map.of("currentPassword", AuthClient.PASSWORD, "newEmail", AuthClient.newEmail()))
                .post("/email/change").then().statusCode(403)
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("insufficient_user_authentication"));

        // The control: a fresh sign-in with the factor may.
        JsonPath fresh = secondStep(challenge(account.email()), code(account.secret(), 1)).then().statusCode(200).extract().jsonPath();
        given().auth().oauth2(fresh.getString("accessToken")).post("/factors/recovery-codes").then().statusCode(200)
                .body("codes.size()", org.hamcrest.Matchers.equalTo(10));
        given().auth().oauth2(fresh.getString("accessToken")).delete("/factors/totp").then().statusCode(204);
        AuthClient.login(account.email(), AuthClient.PASSWORD).then().statusCode(200);
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "suite.client.user-service.secret")
    String userServiceSecret;

    /**
     * Issue 22 item 5: deleting the account (asked by the user service, with the password, for a session) needs that
     * session to have signed in with the second factor recently when the account has one: a thief holding the password
     * and a session left open for hours cannot destroy the account. Answered as token-guard's StepUp answers, so the
     * SPA signs in again and retries.
     */
    @Test
    void deletingTheAccountNeedsARecentSignInWithTheFactor() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        JsonPath session = secondStep(challenge(account.email()), code(account.secret(), 0)).then().statusCode(200).extract().jsonPath();
        OwnerDatabase.update("UPDATE auth.auth_session SET auth_time = now() - interval '11 minutes' WHERE id = ?",
                UUID.fromString(session.getString("sessionId")));
        String service = given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("clientId", "user-service", "clientSecret", userServiceSecret, "audience", "auth-service"))
                .post("/internal/service-tokens").then().statusCode(200).extract().path("accessToken");
        String accountId = session.getString("user.id");

        given().auth().oauth2(service).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("currentPassword", AuthClient.PASSWORD, "sessionId", session.getString("sessionId")))
                .delete("/internal/accounts/" + accountId).then().statusCode(403)
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("insufficient_user_authentication"));
        AuthClient.refresh(session.getString("refreshToken")).then().statusCode(200); // nothing was deleted

        JsonPath fresh = secondStep(challenge(account.email()), code(account.secret(), 1)).then().statusCode(200).extract().jsonPath();
        given().auth().oauth2(service).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("currentPassword", AuthClient.PASSWORD, "sessionId", fresh.getString("sessionId")))
                .delete("/internal/accounts/" + accountId).then().statusCode(204);
    }

    @Test
    void aTokenMintedBeforeTheFactorWasOnCannotTurnItOffAndOtherSessionsEnd() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, AuthClient.PASSWORD, "Factor Tester").then().statusCode(AuthClient.REGISTERED);
        JsonPath other = AuthClient.login(email, AuthClient.PASSWORD).then().statusCode(200).extract().jsonPath();
        JsonPath session = AuthClient.login(email, AuthClient.PASSWORD).then().statusCode(200).extract().jsonPath();
        String base32 = given().auth().oauth2(session.getString("accessToken")).post("/factors/totp").then().statusCode(201)
                .extract().path("secret");
        byte[] secret = new org.apache.commons.codec.binary.Base32().decode(base32);
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(session.getString("accessToken"))
                .body(Map.of("code", code(secret, 0), "currentPassword", AuthClient.PASSWORD)).post("/factors/totp/confirm").then().statusCode(200);

        // A password-only token (a thief's, say) of that account: no second factor in amr.
        given().auth().oauth2(session.getString("accessToken")).delete("/factors/totp").then().statusCode(403);
        // The session opened with the password alone before the factor was on is gone.
        AuthClient.refresh(other.getString("refreshToken")).then().statusCode(401);
        // The one that proved the factor carries it from its next token on.
        String next = AuthClient.refresh(session.getString("refreshToken")).then().statusCode(200).extract().path("accessToken");
        assertThat(SecondFactorClient.claims(next).getJsonArray("amr").getList()).containsExactly("pwd", "otp", "mfa");
    }

    /**
     * The attack (review of the merges, high): a stolen or left-open session, without the password, turned a second
     * factor of the thief's on: the owner's sessions ended, the thief got the recovery codes, and the owner's password
     * led to a code only the thief has (a reset keeps the factor): the account was the thief's for good. Turning it
     * on needs the current password.
     */
    @Test
    void aSessionWithoutThePasswordCannotTurnASecondFactorOn() {
        JsonPath owner = AuthClient.signedIn();
        String email = SecondFactorClient.claims(owner.getString("accessToken")).getString("email");
        JsonPath thief = AuthClient.login(email, AuthClient.PASSWORD).then().statusCode(200).extract().jsonPath(); // the stolen session
        String token = thief.getString("accessToken");
        byte[] secret = new org.apache.commons.codec.binary.Base32().decode(
                given().auth().oauth2(token).post("/factors/totp").then().statusCode(201).extract().<String>path("secret"));

        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(token).body(Map.of("code", code(secret, 0)))
                .post("/factors/totp/confirm").then().statusCode(400);
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(token)
                .body(Map.of("code", code(secret, 0), "currentPassword", "not the password at all")).post("/factors/totp/confirm")
                .then().statusCode(403);

        given().auth().oauth2(token).get("/factors").then().statusCode(200).body("totp", org.hamcrest.Matchers.equalTo("pending"));
        AuthClient.refresh(owner.getString("refreshToken")).then().statusCode(200); // the owner's session lives on
        AuthClient.login(email, AuthClient.PASSWORD).then().statusCode(200); // no code asked
    }

    @Test
    void aWrongFirstCodeLeavesTheFactorOffAndTheSecretIsShownOnlyAtEnrolment() {
        JsonPath session = AuthClient.signedIn();
        String token = session.getString("accessToken");
        given().auth().oauth2(token).post("/factors/totp").then().statusCode(201);

        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(token)
                .body(Map.of("code", "000000", "currentPassword", AuthClient.PASSWORD)).post("/factors/totp/confirm").then().statusCode(400);

        String status = given().auth().oauth2(token).get("/factors").then().statusCode(200)
                .body("totp", org.hamcrest.Matchers.equalTo("pending")).extract().asString();
        assertThat(status).doesNotContain("secret");
        String email = SecondFactorClient.claims(token).getString("email");
        AuthClient.login(email, AuthClient.PASSWORD).then().statusCode(200);
    }
}
