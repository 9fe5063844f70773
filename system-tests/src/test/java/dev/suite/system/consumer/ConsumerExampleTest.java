package dev.suite.system.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.assertj.core.api.SoftAssertions;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.suite.system.support.Answer;
import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;
import dev.suite.tokenguard.HostileTokens;
import dev.suite.tokenguard.TokenFactory;
import io.vertx.core.json.JsonObject;

/**
 * Another team's service that follows the README (examples/token-guard-consumer), built from its own pom and run
 * against the packaged suite: it accepts a live token and refuses it right after logout, refuses every attack of the
 * hostile-token corpus, calls the user service with a service token it got itself as a registered client, and keeps
 * its own error answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerExampleTest {

    private static final String PASSWORD = "quiet-harbour-lantern-77";

    private final RunningSuite suite = RunningSuite.shared();
    private ConsumerExample greeter;

    @BeforeAll
    void buildAndStartTheExample() {
        ConsumerExample.build();
        greeter = ConsumerExample.start(suite);
    }

    @AfterAll
    void stopTheExample() {
        if (greeter != null) {
            greeter.close();
        }
    }

    @Test
    void acceptsALiveTokenAndRefusesItRightAfterLogout() {
        JsonObject user = newUser("Olga");
        String token = user.getString("accessToken");
        assertThat(greeting(token).status()).isEqualTo(200);

        assertThat(Http.send("POST", suite.authUrl() + "/logout", bearer(token), (String) null).status()).isEqualTo(204);

        Answer afterLogout = greeting(token);
        assertThat(afterLogout.status()).as("%s", afterLogout).isEqualTo(401);
        assertThat(afterLogout.isProblem()).as("token-guard's own answer: %s", afterLogout).isTrue();
    }

    @Test
    void greetsByTheNameTheUserServiceHoldsWhichItAsksWithItsOwnServiceToken() {
        JsonObject user = newUser("Pia");
        String token = user.getString("accessToken");
        // The token still says "Pia": only the user service, asked by the greeter as itself, knows the new name and language.
        Answer renamed = Http.send("PATCH", suite.userUrl() + "/users/me", bearer(token),
                new JsonObject().put("displayName", "Pia from the user service").put("locale", "fr").encode());
        assertThat(renamed.status()).as("%s", renamed).isEqualTo(200);

        Answer greeting = greeting(token);
        assertThat(greeting.status()).as("%s", greeting).isEqualTo(200);
        assertThat(greeting.json().getString("text")).isEqualTo("Bonjour, Pia from the user service");
        assertThat(greeting.json().getString("subject")).isEqualTo(user.getJsonObject("user").getString("id"));
    }

    @Test
    void refusesEveryAttackOfTheHostileTokenCorpus() {
        TokenFactory tokens = TokenFactory.withRealKey(Http.get(suite.authUrl() + "/.well-known/jwks.json").body(),
                Path.of(suite.stack().properties().get("suite.jwt.signing-key-file")), suite.authUrl(),
                RunningSuite.EXAMPLE_CLIENT);
        // The controls: from the same factory, with nothing broken, a user's token and a service token addressed to it pass.
        assertThat(caller(tokens.sign(tokens.userClaims())).json().getString("type")).isEqualTo("at+jwt");
        assertThat(caller(serviceTokenFor(tokens, RunningSuite.EXAMPLE_CLIENT)).json().getString("type")).isEqualTo("svc+jwt");

        List<HostileTokens.Attack> attacks = new HostileTokens(tokens).all();
        SoftAssertions softly = new SoftAssertions();
        for (HostileTokens.Attack attack : attacks) {
            Answer answer = caller(attack.token().get());
            softly.assertThat(answer.status()).as("%s: %s", attack, answer).isEqualTo(401);
            softly.assertThat(answer.isProblem()).as("%s: %s", attack, answer).isTrue();
        }
        softly.assertAll();
        assertThat(attacks).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void itsOwnErrorsStayItsOwn() {
        Answer unknownPath = Http.get(greeter.url() + "/nowhere");
        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(unknownPath.isProblem()).as("%s", unknownPath).isFalse();
        Answer unknownLanguage = Http.get(greeter.url() + "/greeting/in/xx");
        assertThat(unknownLanguage.status()).isEqualTo(404);
        assertThat(unknownLanguage.contentType()).startsWith("text/plain");
        assertThat(unknownLanguage.body()).isEqualTo("The greeter speaks de, en, fr.");
        Answer noToken = Http.get(greeter.url() + "/greeting");
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.header("WWW-Authenticate")).contains("Bearer");
    }

    private Answer greeting(String token) {
        return Http.send("GET", greeter.url() + "/greeting", bearer(token), (String) null);
    }

    private Answer caller(String token) {
        return Http.send("GET", greeter.url() + "/greeting/caller", bearer(token), (String) null);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** A service token as the auth service issues one: typ svc+jwt, the callee as aud, group service. */
    private static String serviceTokenFor(TokenFactory tokens, String audience) {
        JwtClaims claims = tokens.userClaims();
        claims.setSubject("another-service");
        claims.setAudience(audience);
        claims.unsetClaim("sid");
        claims.setStringListClaim("groups", "service");
        return tokens.sign(claims, tokens.key(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "svc+jwt");
    }

    /** Registers and signs in a user at the auth service directly: the login's JSON (accessToken, user.id, ...). */
    private JsonObject newUser(String displayName) {
        String email = "greeter-" + UUID.randomUUID() + "@example.com";
        Answer registered = Http.send("POST", suite.authUrl() + "/register", Map.of(),
                new JsonObject().put("email", email).put("password", PASSWORD).put("displayName", displayName).encode());
        assertThat(registered.status()).as("%s", registered).isEqualTo(202);
        Answer login = Http.send("POST", suite.authUrl() + "/login", Map.of(),
                new JsonObject().put("email", email).put("password", PASSWORD).encode());
        assertThat(login.status()).as("%s", login).isEqualTo(200);
        // The user service makes the profile at the user's first visit; the greeter asks for it by the token's subject.
        String token = login.json().getString("accessToken");
        assertThat(Http.send("GET", suite.userUrl() + "/users/me", bearer(token), (String) null).status()).isEqualTo(200);
        return login.json();
    }
}
