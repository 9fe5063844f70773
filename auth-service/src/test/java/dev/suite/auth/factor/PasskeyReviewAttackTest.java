package dev.suite.auth.factor;

import static dev.suite.auth.factor.PasskeyClient.add;
import static dev.suite.auth.factor.PasskeyClient.creationChallenge;
import static dev.suite.auth.factor.PasskeyClient.secondStep;
import static dev.suite.auth.factor.PasskeyClient.secondStepOptions;
import static dev.suite.auth.factor.PasskeyClient.signIn;
import static dev.suite.auth.factor.PasskeyClient.signInChallenge;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.auth.OwnerDatabase;
import dev.suite.auth.email.EmailMail;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The attacker review of the first passkey commit (f6e2585): each test is an attack that succeeded then (each was seen
 * succeeding, written by the reviewer), asserted refused now.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class PasskeyReviewAttackTest {

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** webauthn4j's Jackson 3 exceptions escaped PasskeyCeremony's catch and ProblemMapper (Jackson 2 only): 500, unauthenticated. */
    @Test
    void hostileJsonIsA400NotA500() {
        SoftwareAuthenticator a = new SoftwareAuthenticator();
        JsonObject deepExt = a.sign(signInChallenge());
        deepExt.put("clientExtensionResults", new JsonObject().put("x", new JsonArray("[".repeat(600) + "]".repeat(600))));
        Response r1 = signIn(deepExt);
        System.out.println("REVIEW deep clientExtensionResults /login/passkey -> " + r1.statusCode() + " " + r1.body().asString());

        JsonObject noSig = a.sign(signInChallenge());
        noSig.getJsonObject("response").remove("signature");
        Response r2 = signIn(noSig);
        System.out.println("REVIEW no signature /login/passkey -> " + r2.statusCode() + " " + r2.body().asString());

        JsonObject badClient = a.sign(signInChallenge());
        badClient.getJsonObject("response").put("clientDataJSON", b64("{\"type\":5}".getBytes(StandardCharsets.UTF_8)));
        Response r3 = secondStep("whatever", badClient);
        System.out.println("REVIEW clientData type 5 /login/second-factor -> " + r3.statusCode() + " " + r3.body().asString());

        JsonPath session = AuthClient.signedIn();
        JsonObject reg = a.register(creationChallenge(session.getString("accessToken")));
        reg.getJsonObject("response").put("attestationObject", b64(new byte[] {(byte) 0xa3}));
        Response r4 = add(session.getString("accessToken"), reg, AuthClient.PASSWORD);
        System.out.println("REVIEW truncated CBOR /factors/passkeys -> " + r4.statusCode() + " " + r4.body().asString());

        assertThat(r1.statusCode()).isEqualTo(400);
        assertThat(r2.statusCode()).isEqualTo(400);
        assertThat(r3.statusCode()).isEqualTo(400);
        assertThat(r4.statusCode()).isEqualTo(400);
    }

    /** Transports were taken as sent (any strings, any number) into varchar(100): the insert failed, a 500. Now only known ones. */
    @Test
    void unknownTransportsAreDropped() {
        JsonPath session = AuthClient.signedIn();
        SoftwareAuthenticator a = new SoftwareAuthenticator();
        JsonObject reg = a.register(creationChallenge(session.getString("accessToken")));
        JsonArray transports = new JsonArray();
        for (int i = 0; i < 20; i++) {
            transports.add("transport-" + i);
        }
        reg.getJsonObject("response").put("transports", transports);
        Response r = add(session.getString("accessToken"), reg, AuthClient.PASSWORD);
        r.then().statusCode(201);
        assertThat(OwnerDatabase.text("SELECT coalesce(transports, '-') FROM passkey WHERE credential_id = ?", a.credentialId())).isEqualTo("-");
    }

    /**
     * Removing a rogue passkey left the sessions it opened alive (and stepped up): the intruder refreshed and, with the
     * refreshed token, removed the owner's passkey. Removal now ends every other session.
     */
    @Test
    void removingARoguePasskeyEndsTheSessionsItOpened() {
        PasskeyClient.WithPasskey owner = PasskeyClient.withPasskey();
        // The intruder holds a recently stepped-up session of the owner (a phished sign-in) and the password: adds a key.
        SoftwareAuthenticator rogue = new SoftwareAuthenticator();
        String stepped = AuthClient.refresh(owner.session().getString("refreshToken")).then().statusCode(200).extract().path("accessToken");
        add(stepped, rogue.register(creationChallenge(stepped)), AuthClient.PASSWORD).then().statusCode(201);
        JsonPath intruder = signIn(rogue.sign(signInChallenge())).then().statusCode(200).extract().jsonPath();

        // The owner got the "passkey added" mail, signs in with their own passkey and removes the rogue one.
        String ownerFresh = signIn(owner.authenticator().sign(signInChallenge())).then().statusCode(200).extract().path("accessToken");
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(ownerFresh).delete("/factors/passkeys/" + rogue.credentialId())
                .then().statusCode(204);
        signIn(rogue.sign(signInChallenge())).then().statusCode(401); // the key itself is gone

        // ...and so is the session it opened.
        AuthClient.refresh(intruder.getString("refreshToken")).then().statusCode(401);
    }

    /**
     * A password reset (the owner's way to evict an intruder) left the intruder's passkey, which signed in by itself. After
     * a reset every passkey needs the new password first; the owner's passkey signs in by itself again once it did.
     */
    @Test
    void afterAPasswordResetAPasskeyNeedsTheNewPasswordFirst() {
        PasskeyClient.WithPasskey owner = PasskeyClient.withPasskey();
        SoftwareAuthenticator rogue = new SoftwareAuthenticator();
        String stepped = AuthClient.refresh(owner.session().getString("refreshToken")).then().statusCode(200).extract().path("accessToken");
        add(stepped, rogue.register(creationChallenge(stepped)), AuthClient.PASSWORD).then().statusCode(201);

        AuthClient.from(AuthClient.newClientAddress()).body(Map.of("email", owner.email())).post("/password-reset").then().statusCode(202);
        String text = EmailMail.await(owner.email(), "Choose a new password", 1).get(0).text();
        Matcher link = Pattern.compile("reset-password\\?token=([A-Za-z0-9_-]+)").matcher(text);
        assertThat(link.find()).isTrue();
        AuthClient.from(AuthClient.newClientAddress()).body(Map.of("token", link.group(1), "newPassword", "copper-walrus-juniper-77"))
                .post("/password-reset/confirm").then().statusCode(204);
        AuthClient.refresh(owner.session().getString("refreshToken")).then().statusCode(401); // sessions ended (that refresh token was rotated anyway)

        signIn(rogue.sign(signInChallenge())).then().statusCode(401);
        signIn(owner.authenticator().sign(signInChallenge())).then().statusCode(401);

        // The owner: the new password, then their passkey as the second step; from then on it signs in by itself again.
        Response first = AuthClient.login(owner.email(), "copper-walrus-juniper-77");
        first.then().statusCode(202);
        String challenge = first.jsonPath().getString("challenge");
        String ceremony = secondStepOptions(challenge).then().statusCode(200).extract().path("challenge");
        secondStep(challenge, owner.authenticator().sign(ceremony)).then().statusCode(200);
        signIn(owner.authenticator().sign(signInChallenge())).then().statusCode(200);
        signIn(rogue.sign(signInChallenge())).then().statusCode(401);
    }

    /** A password-less sign-in from a browser never seen before sent no new-device notice (the second step did). */
    @Test
    void aPasswordlessSignInFromANewBrowserIsNoticed() throws Exception {
        PasskeyClient.WithPasskey owner = PasskeyClient.withPasskey();
        for (int i = 0; i < 3; i++) {
            signIn(owner.authenticator().sign(signInChallenge())).then().statusCode(200);
        }
        assertThat(EmailMail.await(owner.email(), EmailMail.NEW_DEVICE, 1)).isNotEmpty();

        // The browser's device token (which the gateway sends from its cookie) says it signed in before: no notice.
        String device = signIn(owner.authenticator().sign(signInChallenge())).then().statusCode(200).extract().path("deviceToken");
        EmailMail.outboxDrained(owner.email());
        int before = EmailMail.withSubject(owner.email(), EmailMail.NEW_DEVICE).size();
        AuthClient.from(AuthClient.newClientAddress())
                .body(new JsonObject().put("credential", owner.authenticator().sign(signInChallenge())).put("deviceToken", device).encode())
                .post("/login/passkey").then().statusCode(200);
        Thread.sleep(2000);
        EmailMail.outboxDrained(owner.email());
        assertThat(EmailMail.withSubject(owner.email(), EmailMail.NEW_DEVICE)).hasSize(before);
    }

    /**
     * "Never on the admin's own account" was one hop away: admin A (stepped up) made an account it controls an admin,
     * and that account, with no second factor and so no step-up at all, stripped A's factors. Resetting factors now needs
     * the acting admin's own recent second factor.
     */
    @Test
    void anAdminWithoutASecondFactorResetsNobodysFactors() {
        PasskeyClient.WithPasskey a = PasskeyClient.withPasskey();
        OwnerDatabase.update("UPDATE account SET roles = 'user,admin' WHERE email = ?", a.email());
        JsonPath aAdmin = signIn(a.authenticator().sign(signInChallenge())).then().statusCode(200).extract().jsonPath();
        String aId = SecondFactorClient.claims(aAdmin.getString("accessToken")).getString("sub");

        String cEmail = AuthClient.newEmail();
        AuthClient.register(cEmail, AuthClient.PASSWORD, "Alt").then().statusCode(AuthClient.REGISTERED);
        String cId = AuthClient.login(cEmail, AuthClient.PASSWORD).then().statusCode(200).extract().path("user.id");
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(aAdmin.getString("accessToken")).put("/admin/accounts/" + cId + "/roles/admin")
                .then().statusCode(204);
        String cToken = AuthClient.login(cEmail, AuthClient.PASSWORD).then().statusCode(200).extract().path("accessToken");
        // Directly: refused. Through C (password only, no factor, so no step-up): done.
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(aAdmin.getString("accessToken")).delete("/admin/accounts/" + aId + "/second-factors")
                .then().statusCode(409);
        AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(cToken).delete("/admin/accounts/" + aId + "/second-factors")
                .then().statusCode(403);
        AuthClient.login(a.email(), AuthClient.PASSWORD).then().statusCode(202); // A keeps the factor
    }

    /** A credential id outside the table's 16..1023-byte check (webauthn4j takes any length): the insert failed, a 500. */
    @Test
    void aShortCredentialIdIsRefused() throws Exception {
        JsonPath session = AuthClient.signedIn();
        SoftwareAuthenticator a = new SoftwareAuthenticator();
        java.lang.reflect.Field id = SoftwareAuthenticator.class.getDeclaredField("credentialId");
        id.setAccessible(true);
        id.set(a, new byte[] {1, 2, 3, 4});
        Response r = add(session.getString("accessToken"), a.register(creationChallenge(session.getString("accessToken"))), AuthClient.PASSWORD);
        r.then().statusCode(400);
    }

    /**
     * (race) keep() re-checked neither the session nor the step-up nor the password under the account lock: an admin's
     * reset that committed while a thief's addition waited on that lock was followed by the thief's passkey, then the
     * account's only factor, with fresh recovery codes for the thief. The addition now finds its session ended.
     */
    @Test
    void aRegistrationWaitingOnTheAccountLockDoesNotLandAfterTheAdminReset() throws Exception {
        PasskeyClient.WithPasskey owner = PasskeyClient.withPasskey();
        String id = SecondFactorClient.claims(owner.accessToken()).getString("sub");
        String thiefToken = AuthClient.refresh(owner.session().getString("refreshToken")).then().statusCode(200).extract().path("accessToken");
        SoftwareAuthenticator rogue = new SoftwareAuthenticator();
        JsonObject answer = rogue.register(creationChallenge(thiefToken));
        String admin = PasskeyClient.adminWithPasskey().getString("accessToken");

        java.util.concurrent.CompletableFuture<Response> reset;
        java.util.concurrent.CompletableFuture<Response> added;
        try (java.sql.Connection hold = dev.suite.fixtures.Privileges.asMigrationRole()) {
            hold.setAutoCommit(false);
            try (java.sql.PreparedStatement lock = hold.prepareStatement("SELECT id FROM account WHERE id = CAST(? AS uuid) FOR UPDATE")) {
                lock.setString(1, id);
                lock.executeQuery();
            }
            reset = java.util.concurrent.CompletableFuture.supplyAsync(() -> AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(admin)
                    .delete("/admin/accounts/" + id + "/second-factors"));
            Thread.sleep(1500);
            added = java.util.concurrent.CompletableFuture.supplyAsync(() -> add(thiefToken, answer, AuthClient.PASSWORD));
            Thread.sleep(2500);
            hold.commit();
        }
        Response r = reset.get();
        Response a = added.get();
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(a.statusCode()).isEqualTo(401);
        signIn(rogue.sign(signInChallenge())).then().statusCode(401);
        AuthClient.login(owner.email(), AuthClient.PASSWORD).then().statusCode(200); // the owner: the password alone, as the reset meant
    }
}
