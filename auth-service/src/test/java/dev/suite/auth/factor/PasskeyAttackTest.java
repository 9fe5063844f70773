package dev.suite.auth.factor;

import static dev.suite.auth.factor.PasskeyClient.add;
import static dev.suite.auth.factor.PasskeyClient.creationChallenge;
import static dev.suite.auth.factor.PasskeyClient.secondStep;
import static dev.suite.auth.factor.PasskeyClient.secondStepOptions;
import static dev.suite.auth.factor.PasskeyClient.signIn;
import static dev.suite.auth.factor.PasskeyClient.signInChallenge;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.auth.OwnerDatabase;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Passkeys (issue 22) against the real service, PostgreSQL and Redis: what works, then what an attacker tries. The
 * authenticator is the test's ({@link SoftwareAuthenticator}); it signs whatever it is asked, as a real one signs for
 * any page, so each refusal here is the service's.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class PasskeyAttackTest {

    @Test
    void aPasskeySignsInByItselfAndAsTheSecondStepWithTheAmrItProves() {
        PasskeyClient.WithPasskey account = PasskeyClient.withPasskey();
        assertThat(account.recoveryCodes()).hasSize(10); // the account's first factor brings them, shown once

        JsonPath alone = signIn(account.authenticator().sign(signInChallenge())).then().statusCode(200).extract().jsonPath();
        assertThat(SecondFactorClient.claims(alone.getString("accessToken")).getJsonArray("amr").getList()).containsExactly("hwk", "user", "mfa");
        assertThat(alone.getString("deviceToken")).isNotBlank();

        // The password alone no longer opens a session: 202, and the answer says a passkey can complete it.
        Response first = AuthClient.login(account.email(), AuthClient.PASSWORD);
        first.then().statusCode(202);
        assertThat(first.jsonPath().getBoolean("passkey")).isTrue();
        String challenge = first.jsonPath().getString("challenge");
        JsonPath options = secondStepOptions(challenge).then().statusCode(200).extract().jsonPath();
        assertThat(options.getList("allowCredentials.id")).containsExactly(account.authenticator().credentialId());
        JsonPath second = secondStep(challenge, account.authenticator().sign(options.getString("challenge")))
                .then().statusCode(200).extract().jsonPath();
        assertThat(SecondFactorClient.claims(second.getString("accessToken")).getJsonArray("amr").getList()).containsExactly("pwd", "hwk", "mfa");

        JsonPath status = AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(alone.getString("accessToken")).get("/factors")
                .then().statusCode(200).extract().jsonPath();
        assertThat(status.getList("passkeys.id")).containsExactly(account.authenticator().credentialId());
        assertThat(status.getString("passkeys[0].lastUsedAt")).isNotNull();
    }

    @Test
    void aReplayedAnswerFindsNoCeremony() {
        PasskeyClient.WithPasskey account = PasskeyClient.withPasskey();
        JsonObject answer = account.authenticator().sign(signInChallenge());
        signIn(answer).then().statusCode(200);
        assertNoSession(signIn(answer));
    }

    /** A phishing page (another origin) relays the service's challenge to the victim's browser: the browser writes its origin. */
    @Test
    void anAnswerMadeForAnotherOriginOrRelyingPartyIsRefused() {
        PasskeyClient.WithPasskey account = PasskeyClient.withPasskey();
        account.authenticator().origin = "https://suite-login.example.net";
        assertNoSession(signIn(account.authenticator().sign(signInChallenge())));

        account.authenticator().origin = SoftwareAuthenticator.ORIGIN;
        account.authenticator().rpId = "example.net";
        assertNoSession(signIn(account.authenticator().sign(signInChallenge())));

        account.authenticator().rpId = SoftwareAuthenticator.RP_ID;
        signIn(account.authenticator().sign(signInChallenge())).then().statusCode(200);
    }

    /** Without user verification a passkey is one factor (something you have): it signs nobody in by itself. */
    @Test
    void anAnswerWithoutUserVerificationIsRefused() {
        PasskeyClient.WithPasskey account = PasskeyClient.withPasskey();
        account.authenticator().userVerified = false;
        assertNoSession(signIn(account.authenticator().sign(signInChallenge())));
    }

    /** A copy of the key (its counter lives apart from the original's) betrays itself when its counter does not move on. */
    @Test
    void aClonedKeyWhoseCounterGoesBackIsRefused() {
        PasskeyClient.WithPasskey account = PasskeyClient.withPasskey();
        signIn(account.authenticator().sign(signInChallenge())).then().statusCode(200);
        signIn(account.authenticator().sign(signInChallenge())).then().statusCode(200); // counter now 2
        assertNoSession(signIn(account.authenticator().signWithCounter(signInChallenge(), 2)));
        assertNoSession(signIn(account.authenticator().signWithCounter(signInChallenge(), 1)));
    }

    @Test
    void aPasskeyOfAnotherAccountCannotCompleteTheSecondStep() {
        PasskeyClient.WithPasskey victim = PasskeyClient.withPasskey();
        PasskeyClient.WithPasskey attacker = PasskeyClient.withPasskey();
        String challenge = SecondFactorClient.challenge(victim.email()); // the victim's password is known to the attacker
        String ceremony = secondStepOptions(challenge).then().statusCode(200).extract().path("challenge");
        assertNoSession(secondStep(challenge, attacker.authenticator().sign(ceremony)));
    }

    /** Each ceremony is for what it was issued for: a password-less one cannot complete a second step, nor the reverse. */
    @Test
    void anAnswerMadeForOneCeremonyCannotCompleteAnother() {
        PasskeyClient.WithPasskey account = PasskeyClient.withPasskey();
        String challenge = SecondFactorClient.challenge(account.email());
        assertNoSession(secondStep(challenge, account.authenticator().sign(signInChallenge())));

        String ceremony = secondStepOptions(challenge).then().statusCode(200).extract().path("challenge");
        assertNoSession(signIn(account.authenticator().sign(ceremony)));

        // A second step's ceremony belongs to its own password sign-in, not to another of the same account.
        String other = SecondFactorClient.challenge(account.email());
        String otherCeremony = secondStepOptions(other).then().statusCode(200).extract().path("challenge");
        assertNoSession(secondStep(challenge, account.authenticator().sign(otherCeremony)));

        // Options for a second step need a live sign-in challenge.
        secondStepOptions("not-a-challenge").then().statusCode(401);
    }

    @Test
    void aLockedAccountsPasskeySignsNobodyIn() {
        PasskeyClient.WithPasskey account = PasskeyClient.withPasskey();
        OwnerDatabase.update("UPDATE account SET locked_at = now() WHERE email = ?", account.email());
        assertNoSession(signIn(account.authenticator().sign(signInChallenge())));
    }

    /** A stolen session alone adds no passkey of the thief's: the current password is asked, and each guess counted. */
    @Test
    void addingAPasskeyNeedsTheCurrentPasswordAndTheSessionsOwnCeremony() {
        JsonPath session = AuthClient.signedIn();
        String token = session.getString("accessToken");
        SoftwareAuthenticator thief = new SoftwareAuthenticator();
        add(token, thief.register(creationChallenge(token)), "not-the-password-at-all").then().statusCode(403);

        // A registration ceremony issued to another session (the thief's own account) does not register here.
        String othersChallenge = creationChallenge(AuthClient.signedIn().getString("accessToken"));
        add(token, thief.register(othersChallenge), AuthClient.PASSWORD).then().statusCode(400);

        // The registration answer replayed (by the session that made it, which now carries the passkey): its ceremony is spent.
        JsonObject answer = thief.register(creationChallenge(token));
        add(token, answer, AuthClient.PASSWORD).then().statusCode(201);
        String carried = AuthClient.refresh(session.getString("refreshToken")).then().statusCode(200).extract().path("accessToken");
        assertThat(SecondFactorClient.claims(carried).getJsonArray("amr").getList()).containsExactly("pwd", "hwk", "mfa");
        add(carried, answer, AuthClient.PASSWORD).then().statusCode(400);
    }

    /**
     * An account with an authenticator: a password and a session whose second factor is no longer recent must not add a
     * passkey (that would be a way in around the authenticator). Nor, on a passkey account, an authenticator.
     */
    @Test
    void addingAFactorToAnAccountWithOneNeedsARecentSecondFactor() {
        SecondFactorClient.Enrolled totp = SecondFactorClient.enrolled();
        OwnerDatabase.update("UPDATE auth_session SET auth_time = now() - interval '1 hour' WHERE account_id = (SELECT id FROM account WHERE email = ?)",
                totp.email());
        String stale = AuthClient.refresh(totp.firstSession().getString("refreshToken")).then().statusCode(200).extract().path("accessToken");
        PasskeyClient.creationOptions(stale).then().statusCode(403).header("WWW-Authenticate", org.hamcrest.Matchers.containsString("insufficient_user_authentication"));

        PasskeyClient.WithPasskey passkey = PasskeyClient.withPasskey();
        OwnerDatabase.update("UPDATE auth_session SET auth_time = now() - interval '1 hour' WHERE account_id = (SELECT id FROM account WHERE email = ?)",
                passkey.email());
        String old = AuthClient.refresh(passkey.session().getString("refreshToken")).then().statusCode(200).extract().path("accessToken");
        io.restassured.RestAssured.given().auth().oauth2(old).post("/factors/totp").then().statusCode(403);
    }

    @Test
    void removingTheLastPasskeyNeedsARecentSecondFactorAndTakesTheRecoveryCodesWithIt() {
        PasskeyClient.WithPasskey account = PasskeyClient.withPasskey();
        String id = account.authenticator().credentialId();
        OwnerDatabase.update("UPDATE auth_session SET auth_time = now() - interval '1 hour' WHERE account_id = (SELECT id FROM account WHERE email = ?)",
                account.email());
        String old = AuthClient.refresh(account.session().getString("refreshToken")).then().statusCode(200).extract().path("accessToken");
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(old).delete("/factors/passkeys/" + id).then().statusCode(403);

        String fresh = signIn(account.authenticator().sign(signInChallenge())).then().statusCode(200).extract().path("accessToken");
        // Another account's passkey id is not found, whoever asks.
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(fresh)
                .delete("/factors/passkeys/" + PasskeyClient.withPasskey().authenticator().credentialId()).then().statusCode(404);
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(fresh).delete("/factors/passkeys/" + id).then().statusCode(204);

        assertNoSession(signIn(account.authenticator().sign(signInChallenge())));
        AuthClient.login(account.email(), AuthClient.PASSWORD).then().statusCode(200); // no factor left: the password alone again
        assertThat(OwnerDatabase.count("SELECT count(*) FROM recovery_code WHERE account_id = (SELECT id FROM account WHERE email = ?)",
                account.email())).isZero();
    }

    @Test
    void garbageIsABadRequestNotAFailure() {
        AuthClient.from(AuthClient.newClientAddress()).body(Map.of("credential", Map.of("id", "x"))).post("/login/passkey").then().statusCode(400);
        AuthClient.from(AuthClient.newClientAddress()).body(Map.of("credential", "text")).post("/login/passkey").then().statusCode(400);
        AuthClient.from(AuthClient.newClientAddress()).body(Map.of("challenge", "x", "code", "123456", "passkey", Map.of()))
                .post("/login/second-factor").then().statusCode(400);
    }

    private static void assertNoSession(Response answer) {
        answer.then().statusCode(401);
        SecondFactorClient.assertNoSession(answer);
    }
}
