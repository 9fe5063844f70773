package dev.suite.auth.factor;

import java.util.List;
import java.util.Map;

import dev.suite.auth.AuthClient;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/** The passkey API as the SPA uses it, with a {@link SoftwareAuthenticator} in the browser's place. */
public final class PasskeyClient {

    /** An account with one passkey: its authenticator, the session that added it, the recovery codes it brought. */
    record WithPasskey(String email, SoftwareAuthenticator authenticator, JsonPath session, List<String> recoveryCodes) {
        String accessToken() {
            return session.getString("accessToken");
        }
    }

    private PasskeyClient() {
    }

    /** Registers an account, signs in and adds a passkey (asserting each step). */
    static WithPasskey withPasskey() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, AuthClient.PASSWORD, "Passkey Tester").then().statusCode(AuthClient.REGISTERED);
        JsonPath session = AuthClient.login(email, AuthClient.PASSWORD).then().statusCode(200).extract().jsonPath();
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        JsonPath added = add(session.getString("accessToken"), authenticator.register(creationChallenge(session.getString("accessToken"))),
                AuthClient.PASSWORD).then().statusCode(201).extract().jsonPath();
        return new WithPasskey(email, authenticator, session, added.getList("recoveryCodes.codes", String.class));
    }

    /** An admin who signed in with a passkey just now (so a second factor within any step-up window): the login answer. */
    public static JsonPath adminWithPasskey() {
        WithPasskey admin = withPasskey();
        dev.suite.auth.OwnerDatabase.update("UPDATE account SET roles = 'user,admin' WHERE email = ?", admin.email());
        return signIn(admin.authenticator().sign(signInChallenge())).then().statusCode(200).extract().jsonPath();
    }

    static String creationChallenge(String accessToken) {
        return creationOptions(accessToken).then().statusCode(200).extract().path("challenge");
    }

    static Response creationOptions(String accessToken) {
        return AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(accessToken).body("{}").post("/factors/passkeys/options");
    }

    static Response add(String accessToken, JsonObject credential, String currentPassword) {
        return AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(accessToken)
                .body(new JsonObject().put("credential", credential).put("name", "Test laptop").put("currentPassword", currentPassword).encode())
                .post("/factors/passkeys");
    }

    /** The challenge of a password-less sign-in ceremony. */
    static String signInChallenge() {
        return AuthClient.from(AuthClient.newClientAddress()).body("{}").post("/login/passkey/options")
                .then().statusCode(200).extract().path("challenge");
    }

    /** The options of the second step of the password sign-in whose challenge is {@code signInChallenge}. */
    static Response secondStepOptions(String signInChallenge) {
        return AuthClient.from(AuthClient.newClientAddress()).body(Map.of("challenge", signInChallenge)).post("/login/passkey/options");
    }

    static Response signIn(JsonObject credential) {
        return AuthClient.from(AuthClient.newClientAddress()).body(new JsonObject().put("credential", credential).encode()).post("/login/passkey");
    }

    static Response secondStep(String signInChallenge, JsonObject credential) {
        return AuthClient.from(AuthClient.newClientAddress()).body(new JsonObject().put("challenge", signInChallenge).put("passkey", credential).encode())
                .post("/login/second-factor");
    }
}
