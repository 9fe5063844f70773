package dev.suite.auth.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.suite.auth.AuthClient;
import dev.suite.auth.OwnerDatabase;
import dev.suite.localstack.LocalSmtp;
import dev.suite.localstack.LocalStack;
import io.restassured.response.Response;

/** Reset requests and confirmations as a client makes them, and the mail they cause, read from the stack's real SMTP server. */
final class ResetMail {

    static final String RESET_SUBJECT = "Choose a new password";
    private static final Pattern LINK = Pattern.compile("(https://\\S+/#/reset-password)\\?token=([A-Za-z0-9_-]+)");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private ResetMail() {
    }

    static LocalSmtp smtp() {
        return LocalStack.shared().smtp();
    }

    static Response request(String email) {
        return requestFrom(AuthClient.newClientAddress(), email);
    }

    static Response requestFrom(String clientAddress, String email) {
        return AuthClient.from(clientAddress).body(Map.of("email", email)).post("/password-reset");
    }

    static Response confirm(String token, String newPassword) {
        return AuthClient.from(AuthClient.newClientAddress()).body(Map.of("token", token, "newPassword", newPassword))
                .post("/password-reset/confirm");
    }

    /**
     * The mails of the reset flow (links and the password notices): an account also gets mail of other flows (the link
     * that confirms its address, a new-device notice), at times of their own.
     */
    private static final java.util.Set<String> RESET_SUBJECTS = java.util.Set.of(RESET_SUBJECT, "Your password was reset",
            "Your password was changed");

    /** The reset-flow messages {@code email} got. */
    static List<LocalSmtp.Message> messagesTo(String email) {
        return smtp().messagesTo(email).stream().filter(m -> RESET_SUBJECTS.contains(m.subject())).toList();
    }

    /** The reset-flow messages {@code email} got, once there are {@code count}. */
    static List<LocalSmtp.Message> await(String email, int count) {
        return await(email, count, PATIENCE);
    }

    static List<LocalSmtp.Message> await(String email, int count, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        List<LocalSmtp.Message> messages = messagesTo(email);
        while (messages.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            messages = messagesTo(email);
        }
        assertThat(messages).as("mail received by " + email).hasSizeGreaterThanOrEqualTo(count);
        return messages;
    }

    /** Asks for a link and reads the token out of the mail that brings it (the {@code nth} mail of that address). */
    static String linkToken(String email, int nth) {
        request(email).then().statusCode(202);
        return tokenOf(await(email, nth).get(nth - 1));
    }

    static String tokenOf(LocalSmtp.Message message) {
        assertThat(message.subject()).isEqualTo(RESET_SUBJECT);
        Matcher link = LINK.matcher(message.text());
        assertThat(link.find()).as("a reset link in: " + message.text()).isTrue();
        return link.group(2);
    }

    /** Waits until the outbox holds nothing more for {@code email}: every mail it owed that address was sent or dropped. */
    static void outboxDrained(String email) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (OwnerDatabase.count("SELECT count(*) FROM auth.mail_outbox WHERE email = ?", email) > 0) {
            assertThat(System.nanoTime()).as("the outbox still owes " + email + " mail").isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
