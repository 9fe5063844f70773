package dev.suite.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.suite.system.support.Answer;
import dev.suite.system.support.Database;
import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;
import io.vertx.core.json.JsonObject;

/**
 * The auth service SIGKILLed while many refreshes are in flight. A rotation is one transaction, so each family's
 * last acknowledged token is afterwards either unused (not rotated) or used with its successor stored (rotated,
 * answer lost). The client retries with the token it holds: not rotated, it gets a new pair; rotated, it gets the
 * same derived successor within the grace window or, past it, a 401 that clears the session visibly. Never do two
 * chains live on: using an old token after its successor was used kills the family.
 */
class RefreshCrashTest {

    private static final int FAMILIES = 24;

    private final RunningSuite suite = RunningSuite.shared();

    @Test
    void eachFamilyIsRotatedOrNotNeverForkedNeverSilentlyLost() throws Exception {
        String email = "crash-" + UUID.randomUUID() + "@example.com";
        assertThat(post("/register", new JsonObject().put("email", email).put("password", "amber-kestrel-orchard-19")
                .put("displayName", "Crash")).status()).isEqualTo(202);
        String[] held = new String[FAMILIES];
        for (int i = 0; i < FAMILIES; i++) {
            held[i] = post("/login", new JsonObject().put("email", email).put("password", "amber-kestrel-orchard-19"))
                    .json().getString("refreshToken");
        }
        AtomicInteger acknowledged = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(FAMILIES);
        for (int i = 0; i < FAMILIES; i++) {
            int family = i;
            clients.submit(() -> {
                while (true) { // each client refreshes as fast as it can until the service is gone
                    Answer answer;
                    try {
                        answer = refresh(held[family]);
                    } catch (RuntimeException gone) {
                        return;
                    }
                    if (answer.status() != 200) {
                        return;
                    }
                    held[family] = answer.json().getString("refreshToken");
                    acknowledged.incrementAndGet();
                }
            });
        }
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.get() < 3 * FAMILIES && System.nanoTime() < waitUntil) {
            Thread.sleep(5);
        }
        assertThat(acknowledged.get()).as("refreshes under way before the kill").isGreaterThanOrEqualTo(3 * FAMILIES);
        suite.kill(RunningSuite.AUTH);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        // Before any retry: the database holds each family in one of two whole states.
        boolean[] rotated = new boolean[FAMILIES];
        String[] successorHash = new String[FAMILIES];
        try (Connection db = Database.connect("auth")) {
            for (int i = 0; i < FAMILIES; i++) {
                try (PreparedStatement row = db.prepareStatement("select used_at, successor_hash, (select count(*) from auth.refresh_token s "
                        + "where s.token_hash = r.successor_hash) from auth.refresh_token r where token_hash = ?")) {
                    row.setString(1, sha256(held[i]));
                    try (ResultSet result = row.executeQuery()) {
                        assertThat(result.next()).as("family %d's token is stored", i).isTrue();
                        rotated[i] = result.getTimestamp(1) != null;
                        successorHash[i] = result.getString(2);
                        assertThat(successorHash[i] != null).as("used iff it has a successor").isEqualTo(rotated[i]);
                        assertThat(result.getLong(3)).as("the successor is stored with it").isEqualTo(rotated[i] ? 1 : 0);
                    }
                }
            }
        }

        long restartStarted = System.nanoTime();
        suite.start(RunningSuite.AUTH);
        long restartMillis = (System.nanoTime() - restartStarted) / 1_000_000;
        int renewed = 0;
        int visibleLogouts = 0;
        int lostAnswers = 0;
        for (int i = 0; i < FAMILIES; i++) {
            lostAnswers += rotated[i] ? 1 : 0;
            Answer retry = refresh(held[i]);
            assertThat(retry.status()).as("family %d (rotated: %s): %s", i, rotated[i], retry).isIn(200, 401);
            if (retry.status() == 401) {
                assertThat(rotated[i]).as("only a rotation whose answer was lost ends in 401").isTrue();
                assertThat(retry.isProblem()).isTrue();
                visibleLogouts++;
                continue;
            }
            String next = retry.json().getString("refreshToken");
            if (rotated[i]) {
                assertThat(sha256(next)).as("within the grace window: the same successor, no fork").isEqualTo(successorHash[i]);
            }
            Answer onward = refresh(next);
            assertThat(onward.status()).as("the chain goes on").isEqualTo(200);
            // The old token after its successor was used is theft, not a retry: the whole family ends.
            assertThat(refresh(held[i]).status()).isEqualTo(401);
            assertThat(refresh(onward.json().getString("refreshToken")).status()).as("no second live chain").isEqualTo(401);
            renewed++;
        }
        System.out.printf("[refresh-crash] %d families, %d rotations acknowledged before SIGKILL; afterwards %d rotated with the "
                + "answer lost, %d renewed on retry, %d visible 401s; restart took %d ms%n", FAMILIES, acknowledged.get(),
                lostAnswers, renewed, visibleLogouts, restartMillis);
    }

    private Answer refresh(String token) {
        return post("/refresh", new JsonObject().put("refreshToken", token));
    }

    private Answer post(String path, JsonObject body) {
        return Http.send("POST", suite.authUrl() + path, Map.of(), body.encode());
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
