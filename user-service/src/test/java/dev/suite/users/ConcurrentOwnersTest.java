package dev.suite.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;

/**
 * Many owners at once: each request's database session and row-level-security scope belong to that request
 * alone. A Redis reply (the revocation check) completes on the Redis connection's Vert.x context; if the rest
 * of the request ran there, concurrent requests would share one Hibernate session and fail (500) or mix scopes.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class ConcurrentOwnersTest {

    private static final int USERS = 8;
    private static final int REQUESTS_PER_USER = 60;
    private static final int IN_FLIGHT = 32;

    @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
    int poolSize;

    @TestHTTPResource("/users/me")
    URI me;

    @Inject
    Pool database;

    @Test
    void concurrentReadsAndWritesOfManyOwnersEachSeeOnlyTheirOwnProfile() throws Exception {
        List<JsonPath> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(Accounts.newUser("Owner " + i));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger served = new AtomicInteger();
        AtomicInteger failedClosed = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int round = 0; round < REQUESTS_PER_USER; round++) {
            for (JsonPath user : users) {
                HttpRequest request = round % 5 == 4 ? patchBio(user, "round " + round) : read(user);
                inFlight.acquire();
                all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, error) -> {
                            inFlight.release();
                            if (error == null && isFailClosed(response)) {
                                failedClosed.incrementAndGet();
                                return;
                            }
                            String problem = error != null ? error.toString() : mismatch(user, response);
                            if (problem != null) {
                                failures.add(problem);
                            } else {
                                served.incrementAndGet();
                            }
                        }));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        System.out.printf("[concurrent-owners] %d served, %d failed closed (503: Redis slower than the timeout on a busy machine)%n",
                served.get(), failedClosed.get());
        assertThat(failures).as("responses that failed or belonged to someone else").isEmpty();
        assertThat(served.get()).as("requests served").isGreaterThan(USERS * REQUESTS_PER_USER / 2);
        everyPooledConnectionIsUnscoped();
    }

    /**
     * Takes every connection the pool can give at once (so each one the requests used is among them): none
     * may still carry an owner scope or see a row.
     */
    private void everyPooledConnectionIsUnscoped() {
        List<SqlConnection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < poolSize; i++) {
                connections.add(database.getConnection().await().atMost(Duration.ofSeconds(10)));
            }
            for (SqlConnection connection : connections) {
                Row row = connection.query("SELECT coalesce(current_setting('app.owner_id', true), ''), (SELECT count(*) FROM profile)")
                        .execute().await().atMost(Duration.ofSeconds(10)).iterator().next();
                assertThat(row.getString(0)).as("owner scope left on a pooled connection").isEmpty();
                assertThat(row.getLong(1)).as("rows visible without a scope").isZero();
            }
        } finally {
            connections.forEach(connection -> connection.close().await().indefinitely());
        }
    }

    /** Redis too slow to answer in time (a loaded machine) is a 503 with Retry-After: allowed, it fails closed. */
    private static boolean isFailClosed(HttpResponse<String> response) {
        return response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()
                && response.body().contains("revocation");
    }

    private HttpRequest read(JsonPath user) {
        return HttpRequest.newBuilder(me).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + user.getString("accessToken")).GET().build();
    }

    private HttpRequest patchBio(JsonPath user, String bio) {
        return HttpRequest.newBuilder(me).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + user.getString("accessToken")).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(new JsonObject().put("bio", bio).encode())).build();
    }

    private static String mismatch(JsonPath user, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return response.statusCode() + " " + response.body();
        }
        String id = new JsonObject(response.body()).getString("id");
        return user.getString("user.id").equals(id) ? null : "user " + user.getString("user.id") + " got profile " + id;
    }
}
