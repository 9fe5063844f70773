package dev.suite.auth.email;

import static dev.suite.auth.AuthClient.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * Issue 21 item 4: an email change needs the password and the new address's confirmation, and the old address can undo
 * it for a while. Each attack against the real service, PostgreSQL, Redis and the stack's SMTP server.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class EmailChangeAttackTest {

    private static final String CONFIRM = "/email/change/confirm";
    private static final String UNDO = "/email/change/undo";

    private record Owner(String email, JsonPath session) {
        String access() {
            return session.getString("accessToken");
        }
    }

    private static Owner signedIn() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Change Tester").then().statusCode(AuthClient.REGISTERED);
        return new Owner(email, AuthClient.login(email, PASSWORD).then().statusCode(200).extract().jsonPath());
    }

    /** Asks for the change and reads the token of the link the new address got (its {@code nth} such mail). */
    private static String changeToken(Owner owner, String newEmail, int nth) {
        EmailMail.changeTo(owner.access(), PASSWORD, newEmail).then().statusCode(202);
        return EmailMail.token(newEmail, EmailMail.CHANGE_SUBJECT, nth, "confirm-email-change");
    }

    @Test
    void theNewAddressConfirmsThenTheAccountMovesAndTheOldAddressIsToldWithAnUndoLink() {
        Owner owner = signedIn();
        String oldVerifyLink = EmailMail.token(owner.email(), EmailMail.VERIFY_SUBJECT, 1, "verify-email");
        String newEmail = AuthClient.newEmail();
        String token = changeToken(owner, newEmail, 1);
        // Nothing changed before the confirmation.
        AuthClient.login(owner.email(), PASSWORD).then().statusCode(200);

        EmailMail.confirm(CONFIRM, token).then().statusCode(204);
        EmailMail.confirm(CONFIRM, token).then().statusCode(400).body("detail", equalTo(EmailService.INVALID)); // reuse

        AuthClient.login(owner.email(), PASSWORD).then().statusCode(401);
        JsonPath moved = AuthClient.login(newEmail, PASSWORD).then().statusCode(200).extract().jsonPath();
        assertThat(EmailMail.claims(moved.getString("accessToken")).getString("email")).isEqualTo(newEmail);
        assertThat(EmailMail.claims(moved.getString("accessToken")).getBoolean("email_verified")).isTrue();
        // The session of before goes on, and its next token carries the new address.
        String refreshed = AuthClient.refresh(owner.session().getString("refreshToken")).then().statusCode(200).extract().jsonPath()
                .getString("accessToken");
        assertThat(EmailMail.claims(refreshed).getString("email")).isEqualTo(newEmail);
        // The link that proved the old address is dead with it.
        EmailMail.verify(oldVerifyLink).then().statusCode(400);
        LocalSmtp.Message notice = EmailMail.await(owner.email(), EmailMail.CHANGED_SUBJECT, 1).get(0);
        assertThat(notice.text()).doesNotContain(newEmail).doesNotContain(PASSWORD);
    }

    @Test
    void withoutOrWithAWrongPasswordNothingIsSentAndGuessesAreThrottled() {
        Owner owner = signedIn();
        String target = AuthClient.newEmail();
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(owner.access()).body(Map.of("newEmail", target))
                .post("/email/change").then().statusCode(400);
        AuthClient.from(AuthClient.newClientAddress()).body(Map.of("currentPassword", PASSWORD, "newEmail", target))
                .post("/email/change").then().statusCode(401); // no session at all
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            statuses.add(EmailMail.changeTo(owner.access(), "not-the-password-" + i, target).statusCode());
        }
        // Five wrong guesses (auth.login-throttle.account-threshold), then the session is locked out: 429, even with
        // the right password, until the back-off ends.
        assertThat(statuses.subList(0, 5)).containsOnly(403);
        assertThat(statuses.subList(5, 7)).containsOnly(429);
        EmailMail.changeTo(owner.access(), PASSWORD, target).then().statusCode(429);
        EmailMail.sleep(1500);
        assertThat(EmailMail.smtp().messagesTo(target)).as("no mail to the new address").isEmpty();
    }

    /** Enumeration: a taken new address gets the same answer as a free one; its owner is told, the requester nothing. */
    @Test
    void aTakenNewAddressGetsTheSameAnswerAndItsOwnerANotice() {
        Owner prober = signedIn();
        Owner victim = signedIn();
        String free = AuthClient.newEmail();

        Response toTaken = EmailMail.changeTo(prober.access(), PASSWORD, victim.email());
        Response toFree = EmailMail.changeTo(prober.access(), PASSWORD, free);

        assertThat(toTaken.statusCode()).isEqualTo(toFree.statusCode()).isEqualTo(202);
        assertThat(toTaken.body().asString()).isEqualTo(toFree.body().asString());
        assertThat(toTaken.headers().asList().stream().map(h -> h.getName()).sorted().toList())
                .isEqualTo(toFree.headers().asList().stream().map(h -> h.getName()).sorted().toList());
        LocalSmtp.Message notice = EmailMail.await(victim.email(), EmailMail.TAKEN_NOTICE, 1).get(0);
        assertThat(notice.text()).doesNotContain("token=").doesNotContain(prober.email());
        EmailMail.await(free, EmailMail.CHANGE_SUBJECT, 1);
        EmailMail.outboxDrained(victim.email());
        assertThat(EmailMail.withSubject(victim.email(), EmailMail.CHANGE_SUBJECT)).as("no link to a taken address").isEmpty();
        AuthClient.login(prober.email(), PASSWORD).then().statusCode(200);
        AuthClient.login(victim.email(), PASSWORD).then().statusCode(200);
    }

    @Test
    void anExpiredChangeLinkIsRefusedAndSoIsOneMadeStaleByAnotherChange() {
        Owner owner = signedIn();
        String first = AuthClient.newEmail();
        String second = AuthClient.newEmail();
        String expired = changeToken(owner, first, 1);
        OwnerDatabase.update("UPDATE auth.email_token SET expires_at = now() - interval '1 second' WHERE purpose = 'change' "
                + "AND account_id = (SELECT id FROM auth.account WHERE email = ?)", owner.email());
        EmailMail.confirm(CONFIRM, expired).then().statusCode(400);
        AuthClient.login(first, PASSWORD).then().statusCode(401);

        String older = changeToken(owner, first, 2);
        String newer = changeToken(owner, second, 1);
        EmailMail.confirm(CONFIRM, older).then().statusCode(400); // replaced by the newer request
        EmailMail.confirm(CONFIRM, newer).then().statusCode(204);
        AuthClient.login(second, PASSWORD).then().statusCode(200);
    }

    /**
     * A thief with the password and a session moves the account to their address, then asks for a reset link there and
     * moves the account on again: the owner's undo link, from the first notice, still gives it back, ends every session,
     * and kills the reset link the thief holds.
     */
    @Test
    void theUndoLinkGivesTheOldAddressBackEndsEverySessionAndKillsTheThiefsLinks() {
        Owner owner = signedIn();
        EmailMail.verify(EmailMail.token(owner.email(), EmailMail.VERIFY_SUBJECT, 1, "verify-email")).then().statusCode(204);
        JsonPath thief = AuthClient.login(owner.email(), PASSWORD).then().statusCode(200).extract().jsonPath();
        String thiefs = AuthClient.newEmail();
        String thiefsSecond = AuthClient.newEmail();
        EmailMail.changeTo(thief.getString("accessToken"), PASSWORD, thiefs).then().statusCode(202);
        EmailMail.confirm(CONFIRM, EmailMail.token(thiefs, EmailMail.CHANGE_SUBJECT, 1, "confirm-email-change")).then().statusCode(204);
        String undo = EmailMail.tokenOf(EmailMail.await(owner.email(), EmailMail.CHANGED_SUBJECT, 1).get(0), "undo-email-change");
        AuthClient.from(AuthClient.newClientAddress()).body(Map.of("email", thiefs)).post("/password-reset").then().statusCode(202);
        String thiefsReset = EmailMail.token(thiefs, "Choose a new password", 1, "reset-password");
        EmailMail.changeTo(thief.getString("accessToken"), PASSWORD, thiefsSecond).then().statusCode(202);
        EmailMail.confirm(CONFIRM, EmailMail.token(thiefsSecond, EmailMail.CHANGE_SUBJECT, 1, "confirm-email-change")).then().statusCode(204);

        EmailMail.confirm(UNDO, undo).then().statusCode(204);
        EmailMail.confirm(UNDO, undo).then().statusCode(400); // reuse

        JsonPath back = AuthClient.login(owner.email(), PASSWORD).then().statusCode(200).extract().jsonPath();
        assertThat(EmailMail.claims(back.getString("accessToken")).getString("email")).isEqualTo(owner.email());
        AuthClient.login(thiefsSecond, PASSWORD).then().statusCode(401);
        AuthClient.refresh(thief.getString("refreshToken")).then().statusCode(401);
        AuthClient.refresh(owner.session().getString("refreshToken")).then().statusCode(401);
        AuthClient.from(AuthClient.newClientAddress()).body(Map.of("token", thiefsReset, "newPassword", "copper-walrus-juniper-77"))
                .post("/password-reset/confirm").then().statusCode(400);
    }

    /**
     * A squatter holds a typo of the owner's address, which the owner registered with and never confirmed. The owner
     * moves the account to the right address: the typo gets a notice, but no undo link, which would have given the
     * squatter the account (undo restores the address, confirmed, and a reset link there then sets the password).
     */
    @Test
    void anOldAddressThatWasNeverConfirmedGetsNoUndoLink() {
        Owner owner = signedIn(); // registered with the squatted address, its verification link never used
        String right = AuthClient.newEmail();
        EmailMail.confirm(CONFIRM, changeToken(owner, right, 1)).then().statusCode(204);

        LocalSmtp.Message notice = EmailMail.await(owner.email(), EmailMail.CHANGED_SUBJECT, 1).get(0);
        assertThat(notice.text()).doesNotContain("token=").doesNotContain(right);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM auth.email_token WHERE purpose = 'undo' "
                + "AND account_id = (SELECT id FROM auth.account WHERE email = ?)", right)).isZero();
        AuthClient.login(right, PASSWORD).then().statusCode(200);
    }

    /**
     * The squatter of the unconfirmed address waits for the owner's change request, then uses the registration's
     * confirmation link, so that the old address counts as confirmed when the change completes and earns the undo link
     * (review). A change request kills the old address's pending confirmation link.
     */
    @Test
    void theOldAddressCannotBeConfirmedWhileAChangeIsPending() {
        Owner owner = signedIn();
        String squattersLink = EmailMail.token(owner.email(), EmailMail.VERIFY_SUBJECT, 1, "verify-email");
        String right = AuthClient.newEmail();
        String change = changeToken(owner, right, 1);

        EmailMail.verify(squattersLink).then().statusCode(400).body("detail", equalTo(EmailService.INVALID));
        EmailMail.confirm(CONFIRM, change).then().statusCode(204);
        LocalSmtp.Message notice = EmailMail.await(owner.email(), EmailMail.CHANGED_SUBJECT, 1).get(0);
        assertThat(notice.text()).doesNotContain("token=");
    }

    /** A confirmed old address keeps its undo link, and undoing gives it back confirmed. */
    @Test
    void aConfirmedOldAddressGetsTheUndoLinkAndGetsBackConfirmed() {
        Owner owner = signedIn();
        EmailMail.verify(EmailMail.token(owner.email(), EmailMail.VERIFY_SUBJECT, 1, "verify-email")).then().statusCode(204);
        EmailMail.confirm(CONFIRM, changeToken(owner, AuthClient.newEmail(), 1)).then().statusCode(204);

        String undo = EmailMail.tokenOf(EmailMail.await(owner.email(), EmailMail.CHANGED_SUBJECT, 1).get(0), "undo-email-change");
        EmailMail.confirm(UNDO, undo).then().statusCode(204);
        JsonPath back = AuthClient.login(owner.email(), PASSWORD).then().statusCode(200).extract().jsonPath();
        assertThat(EmailMail.claims(back.getString("accessToken")).getBoolean("email_verified")).isTrue();
    }

    /**
     * Enumeration through the earlier link: a change to a free address replaces the account's pending change link, so
     * a change to a taken one must too; otherwise confirming the earlier link after naming an address tells whether
     * that address has an account.
     */
    @Test
    void aChangeToATakenAddressVoidsTheEarlierLinkAsOneToAFreeAddressDoes() {
        Owner prober = signedIn();
        Owner victim = signedIn();
        String probersOwn = AuthClient.newEmail();
        String earlier = changeToken(prober, probersOwn, 1);

        EmailMail.changeTo(prober.access(), PASSWORD, victim.email()).then().statusCode(202);
        EmailMail.await(victim.email(), EmailMail.TAKEN_NOTICE, 1);
        EmailMail.outboxDrained(victim.email());

        EmailMail.confirm(CONFIRM, earlier).then().statusCode(400).body("detail", equalTo(EmailService.INVALID));
        AuthClient.login(prober.email(), PASSWORD).then().statusCode(200);
    }

    /**
     * Enumeration through the account's budget of links: if only free addresses spent it, whether the prober's own next
     * link arrives would tell how many of the addresses named before were free. Taken ones spend it alike.
     */
    @Test
    void aChangeToATakenAddressSpendsTheAccountsLinksAsOneToAFreeAddressDoes() {
        Owner prober = signedIn(); // its verification link: the first of five an hour
        Owner victim = signedIn();
        for (int i = 0; i < 4; i++) {
            EmailMail.changeTo(prober.access(), PASSWORD, victim.email()).then().statusCode(202);
        }
        String probersOwn = AuthClient.newEmail();
        EmailMail.changeTo(prober.access(), PASSWORD, probersOwn).then().statusCode(202);

        EmailMail.outboxDrained(probersOwn);
        assertThat(EmailMail.smtp().messagesTo(probersOwn)).as("the sixth link of the hour").isEmpty();
    }

    @Test
    void anExpiredUndoLinkIsRefused() {
        Owner owner = signedIn();
        EmailMail.verify(EmailMail.token(owner.email(), EmailMail.VERIFY_SUBJECT, 1, "verify-email")).then().statusCode(204);
        String newEmail = AuthClient.newEmail();
        EmailMail.confirm(CONFIRM, changeToken(owner, newEmail, 1)).then().statusCode(204);
        String undo = EmailMail.tokenOf(EmailMail.await(owner.email(), EmailMail.CHANGED_SUBJECT, 1).get(0), "undo-email-change");
        // Seven days pass (the owner moves the row's clock; the service's own lifetime is untouched).
        OwnerDatabase.update("UPDATE auth.email_token SET expires_at = now() - interval '1 second' WHERE purpose = 'undo' "
                + "AND account_id = (SELECT id FROM auth.account WHERE email = ?)", newEmail);

        EmailMail.confirm(UNDO, undo).then().statusCode(400).body("detail", equalTo(EmailService.INVALID));
        AuthClient.login(newEmail, PASSWORD).then().statusCode(200);
    }

    /** A flood of change requests naming one victim's address, from many accounts and clients: a few mails, no more. */
    @Test
    void aFloodOfChangeRequestsForOneAddressSendsABoundedNumberOfMails() {
        String victim = AuthClient.newEmail();
        List<Owner> attackers = List.of(signedIn(), signedIn(), signedIn());
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            statuses.add(EmailMail.changeTo(attackers.get(i % 3).access(), PASSWORD, victim).statusCode());
        }
        assertThat(statuses).containsOnly(202);
        EmailMail.outboxDrained(victim);
        assertThat(EmailMail.smtp().messagesTo(victim)).hasSize(3);
    }

    /** One account naming many addresses: its links are bounded per account (auth.email.per-account-limit, 5 an hour). */
    @Test
    void oneAccountCannotMailAListOfStrangers() {
        Owner spammer = signedIn();
        List<String> strangers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String stranger = AuthClient.newEmail();
            strangers.add(stranger);
            EmailMail.changeTo(spammer.access(), PASSWORD, stranger).then().statusCode(202);
        }
        int mailed = 0;
        for (String stranger : strangers) {
            EmailMail.outboxDrained(stranger);
            mailed += EmailMail.smtp().messagesTo(stranger).size();
        }
        // The registration's own verification link was the account's first of five.
        assertThat(mailed).isEqualTo(4);
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "suite.client.user-service.secret")
    String userServiceSecret;

    /** The account deleted (by the user service, with the password): its address is told, though the account is gone. */
    @Test
    void aDeletedAccountsAddressGetsANotice() {
        Owner owner = signedIn();
        String service = io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("clientId", "user-service", "clientSecret", userServiceSecret, "audience", "auth-service"))
                .post("/internal/service-tokens").then().statusCode(200).extract().jsonPath().getString("accessToken");
        io.restassured.RestAssured.given().auth().oauth2(service).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("currentPassword", PASSWORD, "sessionId", owner.session().getString("sessionId")))
                .delete("/internal/accounts/" + owner.session().getString("user.id")).then().statusCode(204);

        LocalSmtp.Message notice = EmailMail.await(owner.email(), "Your account was deleted", 1).get(0);
        assertThat(notice.text()).doesNotContain(PASSWORD);
    }

    @Test
    void aSignInFromANewBrowserIsNoticedAndOneFromAKnownDeviceIsNot() {
        Owner owner = signedIn(); // the first sign-in ever: no notice
        JsonPath second = AuthClient.login(owner.email(), PASSWORD).then().statusCode(200).extract().jsonPath();
        LocalSmtp.Message notice = EmailMail.await(owner.email(), EmailMail.NEW_DEVICE, 1).get(0);
        assertThat(notice.text()).doesNotContain(PASSWORD);
        AuthClient.loginFrom(AuthClient.newClientAddress(), owner.email(), PASSWORD, second.getString("deviceToken")).then().statusCode(200);
        EmailMail.outboxDrained(owner.email());
        assertThat(EmailMail.withSubject(owner.email(), EmailMail.NEW_DEVICE)).hasSize(1);
    }
}
