package dev.suite.gateway;

import static dev.suite.gateway.GatewayClient.https;
import static org.assertj.core.api.Assertions.assertThat;

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
 * Forgot password through the gateway as the SPA does it, against the real auth service and the stack's SMTP server:
 * both routes are unsafe requests made signed out, so they need the pre-login CSRF token like login (a cross-site form
 * could otherwise flood a victim's mailbox from the victim's browser, or set a password of the attacker's choosing on
 * the attacker's own account in the victim's browser); with it, the link arrives and works.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class PasswordResetRouteTest {

    private static final Pattern TOKEN = Pattern.compile("/#/reset-password\\?token=([A-Za-z0-9_-]+)");

    @Test
    void withoutTheCsrfTokenBothRoutesAreRefusedAndWithItTheLinkArrivesAndWorks() throws InterruptedException {
        GatewayClient owner = GatewayClient.signedIn("Reset Owner");
        String email = owner.jar.get("email");

        GatewayClient stranger = new GatewayClient();
        // No CSRF token at all (a cross-site form): refused before the auth service hears of it, no mail sent.
        https().contentType(ContentType.JSON).body(Map.of("email", email)).post("/api/auth/password-reset").then().statusCode(403);
        stranger.csrf();
        // A forged header that matches no cookie of this browser: refused too.
        https().cookies(stranger.jar).header("X-CSRF-Token", "v1.nonce.9999999999.AAAA").contentType(ContentType.JSON)
                .body(Map.of("email", email)).post("/api/auth/password-reset").then().statusCode(403);
        assertThat(resetMails(email)).as("no mail from a refused request").isEmpty();

        stranger.browser().contentType(ContentType.JSON).body(Map.of("email", email)).post("/api/auth/password-reset")
                .then().statusCode(202);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (resetMails(email).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<LocalSmtp.Message> mail = resetMails(email);
        assertThat(mail).hasSize(1);
        Matcher link = TOKEN.matcher(mail.get(0).text());
        assertThat(link.find()).isTrue();
        String token = link.group(1);
        String newPassword = "walrus-harbour-copper-" + UUID.randomUUID().toString().substring(0, 4);

        https().contentType(ContentType.JSON).body(Map.of("token", token, "newPassword", newPassword))
                .post("/api/auth/password-reset/confirm").then().statusCode(403);
        stranger.browser().contentType(ContentType.JSON).body(Map.of("token", token, "newPassword", newPassword))
                .post("/api/auth/password-reset/confirm").then().statusCode(204);

        // The owner's session of before is over; the new password signs in.
        owner.browser().post("/api/auth/refresh").then().statusCode(401);
        GatewayClient again = new GatewayClient();
        again.csrf();
        again.browser().contentType(ContentType.JSON).body(Map.of("email", email, "password", newPassword)).post("/api/auth/login")
                .then().statusCode(200);
    }

    /** The reset links the address got (it also gets the link that confirms it, from its registration). */
    private static List<LocalSmtp.Message> resetMails(String email) {
        return smtp().messagesTo(email).stream().filter(m -> m.subject().equals("Choose a new password")).toList();
    }

    private static LocalSmtp smtp() {
        return LocalStack.shared().smtp();
    }
}
