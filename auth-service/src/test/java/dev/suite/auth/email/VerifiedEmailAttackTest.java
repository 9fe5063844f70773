package dev.suite.auth.email;

import static dev.suite.auth.AuthClient.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.auth.OwnerDatabase;
import dev.suite.fixtures.SharedStack;
import dev.suite.localstack.LocalSmtp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Issue 21 item 2: a verified address. Each attack against the real service, PostgreSQL, Redis and the stack's SMTP
 * server, whose mailboxes the tests read; production settings, each request from a client address of its own.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class VerifiedEmailAttackTest {

    private static final String PAGE = "verify-email";

    private static String registered() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Verify Tester").then().statusCode(AuthClient.REGISTERED);
        return email;
    }

    @Test
    void aNewAccountWorksAtOnceUnverifiedAndItsLinkVerifiesItOnce() {
        String email = registered();
        JsonPath session = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath();
        assertThat(EmailMail.claims(session.getString("accessToken")).getBoolean("email_verified")).isFalse();
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(session.getString("accessToken")).get("/email").then()
                .statusCode(200).body("email", equalTo(email)).body("verified", equalTo(false));

        String token = EmailMail.token(email, EmailMail.VERIFY_SUBJECT, 1, PAGE);
        Response done = EmailMail.verify(token);
        assertThat(done.statusCode()).isEqualTo(204);
        assertThat(done.getHeader("Set-Cookie")).as("a confirmation signs nobody in").isNull();

        // Reuse: the same link again.
        EmailMail.verify(token).then().statusCode(400).body("detail", equalTo(EmailService.INVALID));
        // The session's next token, and any new one, says so.
        String refreshed = AuthClient.refresh(session.getString("refreshToken")).then().statusCode(200).extract().jsonPath()
                .getString("accessToken");
        assertThat(EmailMail.claims(refreshed).getBoolean("email_verified")).isTrue();
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(refreshed).get("/email").then().body("verified", equalTo(true));
        // Nothing secret in the mail but its own link.
        assertThat(EmailMail.await(email, EmailMail.VERIFY_SUBJECT, 1).get(0).text()).doesNotContain(PASSWORD);
    }

    @Test
    void anExpiredLinkIsRefused() {
        String email = registered();
        String token = EmailMail.token(email, EmailMail.VERIFY_SUBJECT, 1, PAGE);
        OwnerDatabase.update("UPDATE auth.email_token SET expires_at = now() - interval '1 second' "
                + "WHERE account_id = (SELECT id FROM auth.account WHERE email = ?)", email);

        EmailMail.verify(token).then().statusCode(400).body("detail", equalTo(EmailService.INVALID));
        assertThat(OwnerDatabase.text("SELECT email_verified::text FROM auth.account WHERE email = ?", email)).isEqualTo("false");
    }

    @Test
    void aLinkOfOneAccountVerifiesThatAccountAloneWhoeverPresentsIt() {
        String owner = registered();
        String other = registered();
        String ownersToken = EmailMail.token(owner, EmailMail.VERIFY_SUBJECT, 1, PAGE);
        String othersAccess = AuthClient.login(other, PASSWORD).then().statusCode(200).extract().jsonPath().getString("accessToken");

        // Presented by the other account's session, with the other account named in the body: the token alone decides.
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(othersAccess)
                .body(java.util.Map.of("token", ownersToken, "email", other)).post("/email/verification/confirm").then().statusCode(204);

        assertThat(OwnerDatabase.text("SELECT email_verified::text FROM auth.account WHERE email = ?", other)).isEqualTo("false");
        assertThat(OwnerDatabase.text("SELECT email_verified::text FROM auth.account WHERE email = ?", owner)).isEqualTo("true");
    }

    @Test
    void aGuessedOrMangledTokenIsRefusedAlike() {
        String email = registered();
        String token = EmailMail.token(email, EmailMail.VERIFY_SUBJECT, 1, PAGE);
        String flipped = (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
        for (String wrong : List.of(flipped, token + "A", token.substring(1), "", "x".repeat(5000), "é".repeat(43))) {
            EmailMail.verify(wrong).then().statusCode(400).body("detail", equalTo(EmailService.INVALID));
        }
        // A change or undo confirmation does not take a verify token either.
        EmailMail.confirm("/email/change/confirm", token).then().statusCode(400);
        EmailMail.confirm("/email/change/undo", token).then().statusCode(400);
        EmailMail.verify(token).then().statusCode(204);
    }

    @Test
    void sendTheLinkAgainReplacesTheOlderLinkAndAFloodSendsABoundedNumber() {
        String email = registered();
        String access = AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath().getString("accessToken");
        String first = EmailMail.token(email, EmailMail.VERIFY_SUBJECT, 1, PAGE);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            statuses.add(AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(access).post("/email/verification").statusCode());
        }
        assertThat(statuses).containsOnly(202);
        EmailMail.outboxDrained(email);
        // auth.mail.per-address-limit (3 per 15 minutes), the registration's mail included.
        List<LocalSmtp.Message> mails = EmailMail.withSubject(email, EmailMail.VERIFY_SUBJECT);
        assertThat(mails).hasSize(3);
        EmailMail.verify(first).then().statusCode(400);
        EmailMail.verify(EmailMail.tokenOf(mails.get(2), PAGE)).then().statusCode(204);
        // Verified: asking again sends nothing.
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(access).post("/email/verification").then().statusCode(202);
        EmailMail.outboxDrained(email);
        assertThat(EmailMail.withSubject(email, EmailMail.VERIFY_SUBJECT)).hasSize(3);
    }

    @Test
    void sendTheLinkAgainIsForSignedInOwnersOnly() {
        AuthClient.from(AuthClient.newClientAddress()).post("/email/verification").then().statusCode(401);
        AuthClient.from(AuthClient.newClientAddress()).get("/email").then().statusCode(401);
    }

    /**
     * Invariant 8 at registration: a taken address and a new one get the same status, headers and body; the new one
     * gets its link, the taken one's owner a notice (never a link, never the prober's words).
     */
    @Test
    void aTakenAndAFreeAddressGetTheSameAnswerAndTheOwnerIsTold() {
        String taken = registered();
        String fresh = AuthClient.newEmail();

        Response again = AuthClient.register(taken, "another-long-passphrase-here", "Prober <b>x</b>");
        Response first = AuthClient.register(fresh, "another-long-passphrase-here", "Prober <b>x</b>");

        assertThat(again.statusCode()).isEqualTo(first.statusCode()).isEqualTo(AuthClient.REGISTERED);
        assertThat(again.body().asString()).isEqualTo(first.body().asString());
        assertThat(again.headers().asList().stream().map(h -> h.getName()).sorted().toList())
                .isEqualTo(first.headers().asList().stream().map(h -> h.getName()).sorted().toList());
        LocalSmtp.Message notice = EmailMail.await(taken, EmailMail.REGISTRATION_NOTICE, 1).get(0);
        assertThat(notice.text()).doesNotContain("Prober").doesNotContain("token=");
        EmailMail.await(fresh, EmailMail.VERIFY_SUBJECT, 1);
        EmailMail.outboxDrained(taken);
        assertThat(EmailMail.withSubject(taken, EmailMail.VERIFY_SUBJECT)).as("one link only, at the owner's registration").hasSize(1);
    }

    /**
     * Timing: both paths hash the password and write one outbox row in one transaction (plus the account row for a new
     * address); no SMTP traffic before the answer. Printed side by side for a reader; no time is asserted (shared machine).
     */
    @Test
    void takenAndFreeAddressesTakeTheSamePathWhoseTimesArePrintedSideBySide() {
        String taken = registered();
        List<Long> takenNanos = new ArrayList<>();
        List<Long> freeNanos = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long started = System.nanoTime();
            Response a = AuthClient.register(taken, "another-long-passphrase-here", "Prober");
            takenNanos.add(System.nanoTime() - started);
            started = System.nanoTime();
            Response b = AuthClient.register(AuthClient.newEmail(), "another-long-passphrase-here", "Prober");
            freeNanos.add(System.nanoTime() - started);
            assertThat(a.statusCode()).isEqualTo(b.statusCode()).isEqualTo(AuthClient.REGISTERED);
            assertThat(a.body().asString()).isEqualTo(b.body().asString());
        }
        System.out.printf("[registration timing] taken (ms) median %.1f: %s%n", median(takenNanos), takenNanos.stream().map(n -> n / 1_000_000).toList());
        System.out.printf("[registration timing] free  (ms) median %.1f: %s%n", median(freeNanos), freeNanos.stream().map(n -> n / 1_000_000).toList());
        // The notices to the owner of the taken address are bounded too (3 per window), whoever floods it.
        EmailMail.outboxDrained(taken);
        assertThat(EmailMail.withSubject(taken, EmailMail.REGISTRATION_NOTICE)).hasSize(3);
    }

    /** The relay down: registration answers exactly as ever, and the link arrives once the relay is back (the outbox retries). */
    @Test
    void withTheMailServerDownRegistrationAnswersTheSameAndTheLinkComesLater() {
        Response before = AuthClient.register(AuthClient.newEmail(), PASSWORD, "Before");
        String email = AuthClient.newEmail();
        EmailMail.smtp().stop();
        try {
            Response whileDown = AuthClient.register(email, PASSWORD, "While Down");
            assertThat(whileDown.statusCode()).isEqualTo(before.statusCode()).isEqualTo(AuthClient.REGISTERED);
            assertThat(whileDown.body().asString()).isEqualTo(before.body().asString());
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (OwnerDatabase.count("SELECT count(*) FROM auth.mail_outbox WHERE email = ? AND attempts >= 1", email) == 0) {
                assertThat(System.nanoTime()).as("an attempt while the relay is down").isLessThan(deadline);
                EmailMail.sleep(200);
            }
        } finally {
            EmailMail.smtp().start();
        }
        List<LocalSmtp.Message> later = EmailMail.smtp().awaitMessages(email, 1, java.time.Duration.ofSeconds(90));
        assertThat(later).extracting(LocalSmtp.Message::subject).containsExactly(EmailMail.VERIFY_SUBJECT);
        EmailMail.verify(EmailMail.tokenOf(later.get(0), PAGE)).then().statusCode(204);
    }

    private static double median(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return sorted.get(sorted.size() / 2) / 1e6;
    }
}
