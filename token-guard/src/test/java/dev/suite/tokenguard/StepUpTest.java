package dev.suite.tokenguard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.time.Instant;
import java.util.List;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Step-up (issue 22 item 5): a route marked {@link RecentSignIn} refuses a valid token whose sign-in is too old, not
 * said, or (when asked) without a second factor, with RFC 9470's challenge; the control, a recent sign-in with one, passes.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class StepUpTest {

    private static String token(Long authTimeSecondsAgo, List<String> amr) {
        JwtClaims claims = TestKeys.userClaims();
        if (authTimeSecondsAgo != null) {
            claims.setClaim("auth_time", Instant.now().getEpochSecond() - authTimeSecondsAgo);
        }
        if (amr != null) {
            claims.setStringListClaim("amr", amr);
        }
        return TestKeys.sign(claims);
    }

    private static io.restassured.response.ValidatableResponse stepUp(String token) {
        return given().header("Authorization", "Bearer " + token).get("/probe/step-up").then();
    }

    @Test
    void aSignInTooOldOrNotSaidOrWithoutASecondFactorIsRefusedWithTheStepUpChallenge() {
        List.of(token(null, List.of("pwd", "otp", "mfa")), token(6 * 60L, List.of("pwd", "otp", "mfa")),
                token(10L, List.of("pwd")), token(10L, null)).forEach(refused -> stepUp(refused).statusCode(403)
                        .header("WWW-Authenticate", containsString("insufficient_user_authentication")));
    }

    @Test
    void aRecentSignInWithASecondFactorPasses() {
        stepUp(token(10L, List.of("pwd", "otp", "mfa"))).statusCode(200);
        // The rest of the token is checked as ever: no token is still a 401.
        given().get("/probe/step-up").then().statusCode(401);
    }
}
