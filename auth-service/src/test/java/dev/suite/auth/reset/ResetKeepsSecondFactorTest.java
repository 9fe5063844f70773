package dev.suite.auth.reset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.auth.factor.SecondFactorClient;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Recovery without bypass (issue 22 item 6): whoever can read the owner's mail (or reset the password any other way)
 * still meets the second factor. A reset replaces the password and nothing else.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class ResetKeepsSecondFactorTest {

    private static final String NEW_PASSWORD = "copper-walrus-juniper-77";

    @Test
    void aPasswordResetNeverRemovesTheSecondFactorNorSignsInWithoutIt() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();

        // The attack: a reset link from the owner's mailbox, then a reset body that asks to drop the factor too.
        Response reset = AuthClient.from(AuthClient.newClientAddress()).body(Map.of("token", ResetMail.linkToken(account.email(), 1),
                "newPassword", NEW_PASSWORD, "disableSecondFactor", true, "totp", false)).post("/password-reset/confirm");
        assertThat(reset.statusCode()).isIn(204, 400);
        if (reset.statusCode() == 400) {
            // Refused as an unexpected field: then the plain reset, which must not drop it either.
            ResetMail.confirm(ResetMail.linkToken(account.email(), 2), NEW_PASSWORD).then().statusCode(204);
        }

        Response signIn = AuthClient.login(account.email(), NEW_PASSWORD);
        signIn.then().statusCode(202);
        SecondFactorClient.assertNoSession(signIn);
        // The factor and its recovery codes are all still there, and only they complete the sign-in.
        String challenge = signIn.jsonPath().getString("challenge");
        String token = SecondFactorClient.secondStep(challenge, SecondFactorClient.code(account.secret(), 0)).then().statusCode(200)
                .extract().path("accessToken");
        given().auth().oauth2(token).get("/factors").then().statusCode(200)
                .body("totp", org.hamcrest.Matchers.equalTo("confirmed")).body("recoveryCodesLeft", org.hamcrest.Matchers.equalTo(10));
    }

    /**
     * A challenge is earned with a password and dies with it (review of issue 22, low): whoever guessed or phished the
     * old password and holds its challenge cannot finish the sign-in after the owner reset it, even with a code.
     */
    @Test
    void aChallengeEarnedWithThePasswordOfBeforeAResetOpensNothing() {
        SecondFactorClient.Enrolled account = SecondFactorClient.enrolled();
        String earnedBefore = SecondFactorClient.challenge(account.email());

        ResetMail.confirm(ResetMail.linkToken(account.email(), 1), NEW_PASSWORD).then().statusCode(204);

        Response second = SecondFactorClient.secondStep(earnedBefore, SecondFactorClient.code(account.secret(), 0));
        second.then().statusCode(401);
        SecondFactorClient.assertNoSession(second);
    }
}
