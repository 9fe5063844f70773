package dev.suite.users;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.ConnectionCuts;
import dev.suite.fixtures.Readiness;
import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * PostgreSQL ends the user service's connections again and again ({@code pg_terminate_backend}, the FATAL 57P01 a
 * restart sends every session) while two owners read and write their profiles: each answer is the owner's own
 * profile or a 503 to retry, never a 500 and never another owner's row (a cut in the middle of a request's
 * row-level-security scope must not leave it to the next request); afterwards the service reports ready by itself and
 * serves again. The auth service's twin: QueryCutByDatabaseTest.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class ConnectionsCutTest {

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @Test
    void readsAndWritesWhileEveryConnectionIsCutAnswerTheOwnersProfileOr503() throws Exception {
        List<JsonPath> owners = List.of(Accounts.newUser("Cut A"), Accounts.newUser("Cut B"));
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 4; i++) {
                JsonPath owner = owners.get(i % 2);
                boolean writer = i >= 2;
                clients.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        Response answer = writer ? patchBio(owner, "bio " + n++) : me(owner);
                        statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        if (answer.statusCode() == 200 && !owner.getString("user.id").equals(answer.jsonPath().getString("id"))) {
                            wrong.add(owner.getString("user.id") + " got " + answer.asString());
                        }
                    }
                });
            }
            ConnectionCuts.cutAgainAndAgain(Duration.ofSeconds(8));
        } finally {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        System.out.printf("[connections-cut] profile answers by status: %s; ready again after %d ms%n", statuses,
                Readiness.awaitUp(ready, Duration.ofSeconds(20)).toMillis());
        assertThat(wrong).as("answers with another owner's profile").isEmpty();
        assertThat(statuses.keySet()).as("answers by status: %s", statuses).contains(503).isSubsetOf(200, 503);
        for (JsonPath owner : owners) {
            patchBio(owner, "after").then().statusCode(200);
            assertThat(me(owner).then().statusCode(200).extract().jsonPath().getString("bio")).isEqualTo("after");
        }
    }

    private static Response me(JsonPath owner) {
        return given().auth().oauth2(owner.getString("accessToken")).get("/users/me");
    }

    private static Response patchBio(JsonPath owner, String bio) {
        return given().auth().oauth2(owner.getString("accessToken")).contentType(ContentType.JSON).body(Map.of("bio", bio))
                .patch("/users/me");
    }
}
