package dev.suite.auth.factor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.commons.codec.binary.Base32;

import dev.suite.auth.AuthClient;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/** The second-factor API as a client uses it: enrol an authenticator, make its codes, sign in in two steps. */
public final class SecondFactorClient {

    /** An account with a confirmed authenticator: its secret (as the app holds it), its recovery codes, its first session. */
    public record Enrolled(String email, byte[] secret, List<String> recoveryCodes, JsonPath firstSession) {
        public String accessToken() {
            return firstSession.getString("accessToken");
        }
    }

    private static final TotpCodes CODES = new TotpCodes();

    private SecondFactorClient() {
    }

    /** The code of the step {@code offset} steps from now (at least 3 s before the step turns, so it stays that step). */
    public static String code(byte[] secret, int offset) {
        awayFromStepEdge();
        return CODES.codeAt(secret, TotpCodes.stepOf(Instant.now()) + offset);
    }

    /** Waits out the last seconds of a time step, so a code made now is judged in the same step. */
    public static void awayFromStepEdge() {
        long intoStep = Instant.now().getEpochSecond() % TotpCodes.STEP.toSeconds();
        if (intoStep >= TotpCodes.STEP.toSeconds() - 4) {
            try {
                Thread.sleep((TotpCodes.STEP.toSeconds() - intoStep + 1) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Registers, signs in, enrols and confirms an authenticator with the code of the previous step. */
    public static Enrolled enrolled() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, AuthClient.PASSWORD, "Factor Tester").then().statusCode(AuthClient.REGISTERED);
        JsonPath session = AuthClient.login(email, AuthClient.PASSWORD).then().statusCode(200).extract().jsonPath();
        String base32 = given().auth().oauth2(session.getString("accessToken")).post("/factors/totp")
                .then().statusCode(201).extract().path("secret");
        byte[] secret = new Base32().decode(base32);
        List<String> codes = AuthClient.from(AuthClient.newClientAddress()).auth().oauth2(session.getString("accessToken"))
                .body(Map.of("code", code(secret, -1), "currentPassword", AuthClient.PASSWORD)).post("/factors/totp/confirm")
                .then().statusCode(200).extract().jsonPath().getList("codes", String.class);
        return new Enrolled(email, secret, codes, session);
    }

    /** The first step for an account with a factor: 202 and a challenge (asserted). */
    public static String challenge(String email) {
        return challengeFrom(AuthClient.newClientAddress(), email);
    }

    public static String challengeFrom(String clientAddress, String email) {
        awayFromStepEdge(); // so the code made right after is judged in its step, well within the challenge's life
        Response first = AuthClient.loginFrom(clientAddress, email, AuthClient.PASSWORD, null);
        first.then().statusCode(202);
        return first.jsonPath().getString("challenge");
    }

    public static Response secondStep(String challenge, String code) {
        return secondStepFrom(AuthClient.newClientAddress(), challenge, code);
    }

    public static Response secondStepFrom(String clientAddress, String challenge, String code) {
        return AuthClient.from(clientAddress).body(Map.of("challenge", challenge, "code", code)).post("/login/second-factor");
    }

    /** The claims of an access token (its signature is the service's business; these tests read what it says). */
    public static JsonObject claims(String accessToken) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    public static void assertNoSession(Response answer) {
        assertThat(answer.body().asString()).doesNotContain("accessToken").doesNotContain("refreshToken");
    }
}
