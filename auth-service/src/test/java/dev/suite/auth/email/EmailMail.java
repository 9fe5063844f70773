package dev.suite.auth.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.suite.auth.AuthClient;
import dev.suite.auth.OwnerDatabase;
import dev.suite.localstack.LocalSmtp;
import dev.suite.localstack.LocalStack;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/** The address flows as a client uses them, and the mail they cause, read from the stack's real SMTP server. */
public final class EmailMail {

    public static final String VERIFY_SUBJECT = "Confirm your email address";
    static final String CHANGE_SUBJECT = "Confirm your new email address";
    static final String CHANGED_SUBJECT = "Your email address was changed";
    static final String REGISTRATION_NOTICE = "Someone tried to register with your email address";
    static final String TAKEN_NOTICE = "Someone tried to move an account to your email address";
    public static final String NEW_DEVICE = "New sign-in to your account";
    private static final Pattern LINK = Pattern.compile("https://\\S+/#/([a-z-]+)\\?token=([A-Za-z0-9_-]+)");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private EmailMail() {
    }

    public static LocalSmtp smtp() {
        return LocalStack.shared().smtp();
    }

    /** The messages {@code email} got with {@code subject}, once there are {@code count} (fails after 30 s). */
    public static List<LocalSmtp.Message> await(String email, String subject, int count) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            List<LocalSmtp.Message> found = withSubject(email, subject);
            if (found.size() >= count) {
                return found;
            }
            assertThat(System.nanoTime()).as(email + " got " + found.size() + " mails '" + subject + "', not " + count).isLessThan(deadline);
            sleep(100);
        }
    }

    public static List<LocalSmtp.Message> withSubject(String email, String subject) {
        return smtp().messagesTo(email).stream().filter(m -> m.subject().equals(subject)).toList();
    }

    /** The token of the {@code nth} mail with {@code subject} to {@code email}, checking the SPA page it points at. */
    public static String token(String email, String subject, int nth, String page) {
        return tokenOf(await(email, subject, nth).get(nth - 1), page);
    }

    public static String tokenOf(LocalSmtp.Message message, String page) {
        Matcher link = LINK.matcher(message.text());
        assertThat(link.find()).as("a link in: " + message.text()).isTrue();
        assertThat(link.group(1)).isEqualTo(page);
        return link.group(2);
    }

    /** Waits until the outbox holds nothing more for {@code email}. */
    public static void outboxDrained(String email) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (OwnerDatabase.count("SELECT count(*) FROM auth.mail_outbox WHERE email = ?", email) > 0) {
            assertThat(System.nanoTime()).as("the outbox still owes " + email + " mail").isLessThan(deadline);
            sleep(100);
        }
    }

    static Response confirm(String path, String token) {
        return AuthClient.from(AuthClient.newClientAddress()).body(Map.of("token", token)).post(path);
    }

    public static Response verify(String token) {
        return confirm("/email/verification/confirm", token);
    }

    static Response changeTo(String accessToken, String currentPassword, String newEmail) {
        return AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(accessToken)
                .body(Map.of("currentPassword", currentPassword, "newEmail", newEmail)).post("/email/change");
    }

    static JsonObject claims(String accessToken) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
