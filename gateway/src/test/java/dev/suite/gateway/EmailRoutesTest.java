package dev.suite.gateway;

import static dev.suite.gateway.GatewayClient.https;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import dev.suite.localstack.LocalSmtp;
import dev.suite.localstack.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The address routes through the gateway as the SPA uses them (issue 21), against the real auth service and the stack's
 * SMTP server: the state and "send the link again" need the session; the links' confirmations are made signed out or
 * in, so they need a CSRF token like login (a cross-site form must not confirm an attacker's link in a victim's
 * browser); a change needs the session, its CSRF token and the password.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class EmailRoutesTest {

    private static final Pattern LINK = Pattern.compile("/#/([a-z-]+)\\?token=([A-Za-z0-9_-]+)");

    @Test
    void theAddressIsConfirmedAndChangedThroughTheGatewayAndEveryUnsafeRouteWantsTheCsrfToken() throws InterruptedException {
        GatewayClient owner = GatewayClient.signedIn("Email Owner");
        String email = owner.jar.get("email");
        https().get("/api/auth/email").then().statusCode(401);
        owner.browser().get("/api/auth/email").then().statusCode(200).body("email", equalTo(email)).body("verified", equalTo(false));

        https().cookies(owner.jar).post("/api/auth/email/verification").then().statusCode(403);
        owner.browser().post("/api/auth/email/verification").then().statusCode(202);

        // The second link (the resend replaced the registration's).
        String verify = token(email, "Confirm your email address", 2, "verify-email");
        GatewayClient stranger = new GatewayClient();
        https().contentType(ContentType.JSON).body(Map.of("token", verify)).post("/api/auth/email/verification/confirm").then().statusCode(403);
        stranger.csrf();
        stranger.browser().contentType(ContentType.JSON).body(Map.of("token", verify)).post("/api/auth/email/verification/confirm")
                .then().statusCode(204);
        owner.browser().get("/api/auth/email").then().body("verified", equalTo(true));

        String newEmail = "gw-" + UUID.randomUUID() + "@example.com";
        Map<String, String> change = Map.of("currentPassword", GatewayClient.PASSWORD, "newEmail", newEmail);
        https().cookies(owner.jar).contentType(ContentType.JSON).body(change).post("/api/auth/email/change").then().statusCode(403);
        owner.browser().contentType(ContentType.JSON).body(change).post("/api/auth/email/change").then().statusCode(202);
        String confirm = token(newEmail, "Confirm your new email address", 1, "confirm-email-change");
        https().contentType(ContentType.JSON).body(Map.of("token", confirm)).post("/api/auth/email/change/confirm").then().statusCode(403);
        stranger.browser().contentType(ContentType.JSON).body(Map.of("token", confirm)).post("/api/auth/email/change/confirm")
                .then().statusCode(204);
        owner.browser().get("/api/auth/email").then().body("email", equalTo(newEmail));

        String undo = token(email, "Your email address was changed", 1, "undo-email-change");
        https().contentType(ContentType.JSON).body(Map.of("token", undo)).post("/api/auth/email/change/undo").then().statusCode(403);
        stranger.browser().contentType(ContentType.JSON).body(Map.of("token", undo)).post("/api/auth/email/change/undo").then().statusCode(204);
        // The undo ended every session: this browser's too.
        owner.remember(owner.browser().post("/api/auth/refresh")).then().statusCode(401);
    }

    /** The token of the link in the {@code nth} mail with {@code subject} to {@code email}. */
    private static String token(String email, String subject, int nth, String page) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<LocalSmtp.Message> mails;
        while ((mails = LocalStack.shared().smtp().messagesTo(email).stream().filter(m -> m.subject().equals(subject)).toList()).size() < nth) {
            assertThat(System.nanoTime()).as(email + " got no mail '" + subject + "'").isLessThan(deadline);
            Thread.sleep(100);
        }
        Matcher link = LINK.matcher(mails.get(nth - 1).text());
        assertThat(link.find()).isTrue();
        assertThat(link.group(1)).isEqualTo(page);
        return link.group(2);
    }
}
