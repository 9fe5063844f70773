package dev.suite.system.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.system.support.Answer;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;

/**
 * The same situation answers with the same title and words wherever a client meets it: the gateway, the auth service
 * and the user service (each called directly, as another pod would). And each of 404, 405, 415 and malformed JSON
 * says what is wrong, not only that something is.
 */
class OneVoiceTest {

    private final RunningSuite suite = RunningSuite.shared();

    @Test
    void noCredentialsReadsTheSameEverywhere() {
        Browser stranger = new Browser(suite.gatewayUrl());
        stranger.csrf();
        List<Answer> answers = List.of(stranger.me(), stranger.logout(),
                Http.send("GET", suite.userUrl() + "/users/me", Map.of(), (String) null),
                Http.send("POST", suite.authUrl() + "/logout", Map.of(), (String) null),
                Http.send("GET", suite.userUrl() + "/users/me", Map.of("Authorization", "Bearer not-a-token"), (String) null));
        assertSameVoice(answers, 401);
        answers.forEach(answer -> assertThat(answer.header("WWW-Authenticate")).as("%s", answer).contains("Bearer"));
    }

    @Test
    void anUnknownPathReadsTheSameEverywhere() {
        assertSameVoice(List.of(Http.get(suite.gatewayUrl() + "/api/no-such-thing"), Http.get(suite.authUrl() + "/no-such-thing"),
                Http.get(suite.userUrl() + "/no-such-thing")), 404);
    }

    @Test
    void aWrongMethodNamesTheOnesThePathTakes() {
        Browser stranger = new Browser(suite.gatewayUrl());
        stranger.csrf();
        List<Answer> answers = List.of(stranger.send("GET", "/api/auth/login", null, Map.of()),
                Http.get(suite.authUrl() + "/login"));
        for (Answer answer : answers) {
            assertThat(answer.status()).as("%s", answer).isEqualTo(405);
            assertThat(answer.isProblem()).as("%s", answer).isTrue();
            assertThat(answer.json().getString("title")).as("%s", answer).isEqualTo("Method Not Allowed");
            assertThat(answer.json().getString("detail")).as("%s", answer).startsWith("This path does not take that method");
        }
        // Each names the methods (in Allow, as RFC 9110 asks, and in the detail): the gateway from its table, a service
        // from RESTEasy's routes (which also answer OPTIONS). The service's was missing until Schemathesis asked for it.
        Answer gateway = answers.get(0);
        assertThat(gateway.header("Allow")).as("%s", gateway).hasValue("POST");
        assertThat(gateway.json().getString("detail")).contains("it takes POST");
        Answer service = answers.get(1);
        assertThat(service.header("Allow")).as("%s", service).hasValue("OPTIONS, POST");
        assertThat(service.json().getString("detail")).contains("it takes OPTIONS, POST");
    }

    @Test
    void aBodyThatIsNotJsonSaysSo() {
        Browser stranger = new Browser(suite.gatewayUrl());
        stranger.csrf();
        List<Answer> wrongType = List.of(
                stranger.send("POST", "/api/auth/login", "email=a&password=b", Map.of("Content-Type", "application/x-www-form-urlencoded")),
                Http.send("POST", suite.authUrl() + "/login", Map.of("Content-Type", "text/plain"), "email=a&password=b"));
        assertSameVoice(wrongType, 415);
        assertThat(wrongType.get(0).json().getString("detail")).contains("application/json");

        List<Answer> malformed = List.of(stranger.send("POST", "/api/auth/login", "{\"email\": ", Map.of()),
                Http.send("POST", suite.authUrl() + "/login", Map.of(), "{\"email\": "),
                Http.send("POST", suite.authUrl() + "/register", Map.of(), "{\"email\" \"no colon\"}"));
        assertSameVoice(malformed, 400);
        assertThat(malformed.get(0).json().getString("detail")).contains("not valid JSON");

        Answer wrongShape = Http.send("POST", suite.authUrl() + "/login", Map.of(), "{\"email\": [1, 2]}");
        assertThat(wrongShape.status()).as("%s", wrongShape).isEqualTo(400);
        assertThat(wrongShape.json().getString("detail")).as("%s", wrongShape).contains("fields and types")
                .isNotEqualTo(malformed.get(0).json().getString("detail"));
    }

    /** Every answer has {@code status}, is problem+json, and has the same title and detail as the first. */
    private static void assertSameVoice(List<Answer> answers, int status) {
        Answer first = answers.get(0);
        for (Answer answer : answers) {
            assertThat(answer.status()).as("%s", answer).isEqualTo(status);
            assertThat(answer.isProblem()).as("%s", answer).isTrue();
            assertThat(answer.json().getString("title")).as("%s", answer).isEqualTo(first.json().getString("title"));
            assertThat(answer.json().getString("detail")).as("%s", answer).isEqualTo(first.json().getString("detail"));
        }
    }
}
