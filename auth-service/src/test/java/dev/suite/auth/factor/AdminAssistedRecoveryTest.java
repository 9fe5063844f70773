package dev.suite.auth.factor;

import static dev.suite.auth.factor.PasskeyClient.signIn;
import static dev.suite.auth.factor.PasskeyClient.signInChallenge;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.suite.auth.Admins;
import dev.suite.auth.AuthClient;
import dev.suite.auth.OwnerDatabase;
import dev.suite.auth.email.EmailMail;
import dev.suite.fixtures.SharedStack;
import dev.suite.localstack.LocalSmtp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Issue 22 item 6: an owner who lost every factor and every recovery code gets back in through an admin, who removes
 * the factors: audited with the admin as actor, the owner told by mail, every session of the account ended (a thief
 * holding one keeps nothing), and no admin can do it to their own account (a stolen admin session must not strip its
 * own factors).
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class AdminAssistedRecoveryTest {

    static final String RESET_NOTICE = "Your account's two-step sign-in was reset by an administrator";

    @Test
    void anAdminRemovesEveryFactorAuditedAndToldAndTheAccountsSessionsEnd() {
        SecondFactorClient.Enrolled owner = SecondFactorClient.enrolled();
        String id = SecondFactorClient.claims(owner.accessToken()).getString("sub");
        JsonPath admin = PasskeyClient.adminWithPasskey();

        reset(admin, id).then().statusCode(204);

        AuthClient.login(owner.email(), AuthClient.PASSWORD).then().statusCode(200); // the password alone again
        AuthClient.refresh(owner.firstSession().getString("refreshToken")).then().statusCode(401); // sessions ended
        assertThat(OwnerDatabase.count("SELECT count(*) FROM recovery_code WHERE account_id = CAST(? AS uuid)", id)).isZero();
        assertThat(OwnerDatabase.count("SELECT count(*) FROM totp_factor WHERE account_id = CAST(? AS uuid)", id)).isZero();
        assertThat(OwnerDatabase.text("SELECT actor_id::text FROM audit_event WHERE account_id = CAST(? AS uuid) AND type = 'SECOND_FACTORS_RESET_BY_ADMIN'",
                id)).isEqualTo(admin.getString("user.id"));
        LocalSmtp.Message notice = EmailMail.await(owner.email(), RESET_NOTICE, 1).get(0);
        owner.recoveryCodes().forEach(code -> assertThat(notice.text()).doesNotContain(code));

        // Nothing left to reset: 409, so the admin learns the owner's trouble is elsewhere.
        reset(admin, id).then().statusCode(409);
    }

    @Test
    void passkeysGoToo() {
        PasskeyClient.WithPasskey owner = PasskeyClient.withPasskey();
        String id = SecondFactorClient.claims(owner.accessToken()).getString("sub");
        reset(PasskeyClient.adminWithPasskey(), id).then().statusCode(204);
        signIn(owner.authenticator().sign(signInChallenge())).then().statusCode(401);
    }

    @Test
    void noAdminResetsTheirOwnFactorsAndAnUnknownAccountIsNotFound() {
        JsonPath admin = PasskeyClient.adminWithPasskey();
        String own = admin.getString("user.id");
        reset(admin, own).then().statusCode(409);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM passkey WHERE account_id = CAST(? AS uuid)", own)).isEqualTo(1);
        reset(admin, java.util.UUID.randomUUID().toString()).then().statusCode(404);
    }

    /** An admin who signed in with the password alone (with or without a factor of their own) removes nobody's factors. */
    @Test
    void aPasswordOnlyAdminCannotResetFactors() {
        SecondFactorClient.Enrolled owner = SecondFactorClient.enrolled();
        String id = SecondFactorClient.claims(owner.accessToken()).getString("sub");
        reset(Admins.signedIn(), id).then().statusCode(403);
        AuthClient.login(owner.email(), AuthClient.PASSWORD).then().statusCode(202);
    }

    private static Response reset(JsonPath admin, String accountId) {
        return AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(admin.getString("accessToken"))
                .delete("/admin/accounts/" + accountId + "/second-factors");
    }
}
