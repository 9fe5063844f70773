package dev.suite.system.faults;

import static dev.suite.system.support.Browser.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.suite.localstack.LocalPostgres;
import dev.suite.system.support.Answer;
import dev.suite.system.support.Background;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Database;
import dev.suite.system.support.RunningSuite;
import io.vertx.core.json.JsonObject;

/**
 * PostgreSQL restarted under traffic (registrations and logins at the auth service, profile writes at the user
 * service): requests in flight or arriving meanwhile get a clean 503 (never a 500 or a
 * hang), the services' pools reconnect by themselves, and afterwards every acknowledged registration and profile
 * write is there and nothing is half-written.
 */
class PostgresRestartTest {

    private final RunningSuite suite = RunningSuite.shared();

    @Test
    void inFlightRequestsFail503PoolsRecoverAndNothingIsHalfWritten() {
        Browser writer = Browser.signedUp(suite.gatewayUrl(), "pg-writer");
        Map<String, Integer> registrations = new ConcurrentHashMap<>();
        List<String> attemptedBios = new CopyOnWriteArrayList<>();
        String[] lastAcknowledged = { null };
        AtomicInteger counter = new AtomicInteger();
        LocalPostgres postgres = suite.stack().postgres();

        long recoveryMillis;
        try (Background traffic = new Background()) {
            traffic.repeat("register", () -> {
                Browser newcomer = new Browser(suite.gatewayUrl());
                newcomer.csrf();
                String email = "pg-" + UUID.randomUUID() + "@example.com";
                Answer answer = newcomer.register(email, "Restart");
                registrations.put(email, answer.status());
                return answer;
            });
            traffic.repeat("write", () -> {
                String bio = "bio " + counter.incrementAndGet();
                attemptedBios.add(bio);
                Answer answer = writer.patchMe(new JsonObject().put("bio", bio));
                if (answer.status() == 200) {
                    synchronized (lastAcknowledged) {
                        lastAcknowledged[0] = bio;
                        attemptedBios.clear();
                    }
                }
                return answer;
            });
            traffic.repeat("login", () -> {
                Browser again = new Browser(suite.gatewayUrl());
                again.csrf();
                return again.login(writer.email(), Browser.PASSWORD);
            });

            Background.pause(1000);
            postgres.stop();
            Background.pause(2000);
            postgres.start();
            // Measured on the writer's own traffic: one client at a time at the user service (see MixedLoadTest).
            recoveryMillis = traffic.millisUntil("write", 200, System.nanoTime(), 30_000);
            Background.pause(1500);
            traffic.close();

            for (String name : List.of("register", "write", "login")) {
                assertThat(traffic.outcomes(name)).as(name)
                        .allSatisfy(o -> assertThat(o.status()).as("%s", o).isIn(200, 202, 503))
                        .allSatisfy(o -> assertThat(o.millis()).as("never a hang: %s", o).isLessThan(suite.neverAHangMillis()))
                        .anyMatch(o -> o.status() == 503);
            }
            System.out.printf("[pg-restart] %d registrations, %d writes; answers 200/202 %d, 503 %d; reads back %d ms after the restart%n",
                    registrations.size(), counter.get(), traffic.outcomes("write").stream().filter(o -> o.status() < 300).count(),
                    List.of("register", "write", "login").stream().flatMap(n -> traffic.outcomes(n).stream())
                            .filter(o -> o.status() == 503).count(), recoveryMillis);
        }
        assertThat(recoveryMillis).as("pools recovered by themselves").isBetween(0L, 30_000L);

        // Acknowledged registrations exist exactly once and can sign in; refused ones exist wholly or not at all.
        registrations.forEach((email, status) -> {
            long rows = Database.count("auth", "select count(*) from auth.account where email = ?", email);
            if (status == 202) {
                assertThat(rows).as("acknowledged %s", email).isEqualTo(1);
            } else {
                assertThat(rows).as("refused %s", email).isBetween(0L, 1L);
            }
            if (rows == 1) {
                Browser owner = new Browser(suite.gatewayUrl());
                owner.csrf();
                expect(owner.login(email, Browser.PASSWORD), 200);
            }
        });
        // The last acknowledged write, or one whose answer was lost after its commit; never an older one.
        String bio = expect(writer.me(), 200).json().getString("bio");
        assertThat(bio).isIn(concat(lastAcknowledged[0], attemptedBios));
        assertThat(Database.count("auth", "select count(*) from auth.auth_session s where not exists "
                + "(select 1 from auth.refresh_token r where r.session_id = s.id)")).as("sessions without a refresh token").isZero();
        assertThat(Database.count("auth", "select count(*) from auth.refresh_token where used_at is not null and "
                + "successor_hash is null")).as("used tokens without successor").isZero();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>(rest);
        all.add(first);
        return all;
    }
}
