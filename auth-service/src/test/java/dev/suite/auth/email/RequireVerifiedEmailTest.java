package dev.suite.auth.email;

import static dev.suite.auth.AuthClient.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With auth.email.require-verified, the right password of an unconfirmed account opens no session until the link is used. */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
@TestProfile(RequireVerifiedEmailTest.RequireVerified.class)
class RequireVerifiedEmailTest {

    public static class RequireVerified implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.email.require-verified", "true");
        }
    }

    @Test
    void anUnconfirmedAccountGetsNoSessionAndANewLinkAndAConfirmedOneSignsIn() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Strict Tester").then().statusCode(AuthClient.REGISTERED);
        EmailMail.await(email, EmailMail.VERIFY_SUBJECT, 1);

        AuthClient.login(email, PASSWORD).then().statusCode(403).body("accessToken", org.hamcrest.Matchers.nullValue());
        AuthClient.login(email, "not-the-password-at-all").then().statusCode(401); // the wrong password learns nothing more
        String token = EmailMail.token(email, EmailMail.VERIFY_SUBJECT, 2, "verify-email");
        EmailMail.verify(token).then().statusCode(204);

        String access = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath().getString("accessToken");
        assertThat(EmailMail.claims(access).getBoolean("email_verified")).isTrue();
    }
}
