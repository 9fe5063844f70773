package dev.suite.system.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.suite.system.support.Answer;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;
import io.vertx.core.json.JsonObject;

/**
 * Mixed traffic through the gateway for a bounded time (default 3 minutes, {@code -Dsuite.load.seconds}) from a few
 * closed-loop virtual users ({@code -Dsuite.load.users}), on loopback: logins, refreshes, reads, profile writes,
 * logouts, registrations. Zero 5xx, every acknowledged write read back, every revoked token refused by every later
 * request. Prints the figures. A 503 with Retry-After (fail-closed when Redis is late) is counted apart, within a small
 * budget ({@code -Dsuite.load.shed-budget}, default 0.2%); any other 5xx fails.
 */
class MixedLoadTest {

    static final int SECONDS = Integer.getInteger("suite.load.seconds", 180);
    static final int USERS = Integer.getInteger("suite.load.users", 4);
    /**
     * Share of requests that may be shed with 503 + Retry-After: Redis answering later than its 500 ms bound (the
     * fail-closed path) when the machine is overloaded by other work. Any other 5xx fails the test at once.
     */
    static final double SHED_BUDGET = Double.parseDouble(System.getProperty("suite.load.shed-budget", "0.002"));

    enum Kind { REGISTER, LOGIN, REFRESH, READ, WRITE, LOGOUT, REVOKED }

    private final RunningSuite suite = RunningSuite.shared();
    private final Map<Kind, ConcurrentLinkedQueue<Long>> latencies = new EnumMap<>(Kind.class);
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private final List<String> sheds = new CopyOnWriteArrayList<>();
    private final AtomicLong writesAcknowledged = new AtomicLong();
    private final AtomicLong writesReadBack = new AtomicLong();

    /** One virtual user: its browser, its last acknowledged bio, the access tokens of its ended sessions. */
    private final class VirtualUser {
        final Random random;
        final List<String> revoked = new ArrayList<>();
        Browser browser;
        String lastBio;
        int writes;

        VirtualUser(int seed) {
            random = new Random(seed);
            for (int attempt = 0; browser == null && attempt < 5; attempt++) {
                browser = register();
            }
        }

        void step() {
            if (browser.cookie(Browser.ACCESS) == null) { // a login that was shed: the SPA shows the login page again
                call(Kind.LOGIN, () -> browser.login(browser.email(), Browser.PASSWORD), 200);
                return;
            }
            int dice = random.nextInt(100);
            if (dice < 40) {
                Answer answer = call(Kind.READ, browser::me, 200);
                check(answer.status() != 200 || lastBio == null || lastBio.equals(answer.json().getString("bio")),
                        "a later read lost a write: " + answer);
            } else if (dice < 70) {
                String bio = browser.email() + " #" + (++writes);
                if (call(Kind.WRITE, () -> browser.patchMe(new JsonObject().put("bio", bio)), 200).status() == 200) {
                    lastBio = bio;
                    writesAcknowledged.incrementAndGet();
                    // Every acknowledged write is read back, through the gateway, by the next request (retried if shed).
                    Answer back = call(Kind.READ, browser::me, 200);
                    for (int retry = 0; back.status() == 503 && retry < 5; retry++) {
                        back = call(Kind.READ, browser::me, 200);
                    }
                    check(back.status() == 200 && bio.equals(back.json().getString("bio")), "acknowledged write lost: " + back);
                    writesReadBack.incrementAndGet();
                }
            } else if (dice < 82) {
                call(Kind.REFRESH, browser::refresh, 200);
            } else if (dice < 92) {
                String access = browser.cookie(Browser.ACCESS);
                if (call(Kind.LOGOUT, browser::logout, 204).status() == 204) {
                    revoked.add(access); // a shed logout (503) revoked nothing, and the client knows it
                    browser.csrf();
                    call(Kind.LOGIN, () -> browser.login(browser.email(), Browser.PASSWORD), 200);
                }
            } else if (dice < 95) {
                Browser newcomer = register(); // a growing user base; the old account stays as it was
                if (newcomer != null) {
                    browser = newcomer;
                    lastBio = null;
                }
            }
            if (!revoked.isEmpty() && dice % 4 == 0) {
                String token = revoked.get(random.nextInt(revoked.size()));
                call(Kind.REVOKED, () -> Http.send("GET", suite.gatewayUrl() + "/api/users/me",
                        Map.of("Authorization", "Bearer " + token), (String) null), 401);
            }
        }

        Browser register() {
            Browser fresh = new Browser(suite.gatewayUrl());
            fresh.csrf();
            String email = "load-" + java.util.UUID.randomUUID() + "@example.com";
            if (call(Kind.REGISTER, () -> fresh.register(email, "Load"), 202).status() != 202) {
                return null; // shed: this newcomer comes back another time
            }
            call(Kind.LOGIN, () -> fresh.login(email, Browser.PASSWORD), 200);
            return fresh;
        }
    }

    @Test
    void mixedTrafficHasNoServerErrorsLosesNoWriteAndHonoursEveryRevocation() throws Exception {
        for (Kind kind : Kind.values()) {
            latencies.put(kind, new ConcurrentLinkedQueue<>());
        }
        ExecutorService pool = Executors.newFixedThreadPool(USERS);
        List<VirtualUser> users = new CopyOnWriteArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(new VirtualUser(i)); // signed up one after the other, as people arrive, before the clock starts
        }
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(SECONDS);
        List<Future<?>> running = new ArrayList<>();
        for (VirtualUser user : users) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < deadline && failures.size() < 20) {
                    user.step();
                }
            }));
        }
        for (Future<?> user : running) {
            user.get(SECONDS + 120L, TimeUnit.SECONDS);
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        long finalChecks = 0;
        for (VirtualUser user : users) { // afterwards: the last acknowledged write of every user is what is stored
            if (user.lastBio != null) {
                Answer answer = user.browser.me();
                check(answer.status() == 200 && user.lastBio.equals(answer.json().getString("bio")), "lost write: " + answer);
                finalChecks++;
            }
        }
        long total = report(seconds, finalChecks);
        assertThat(serverErrors.get()).as("5xx answers other than a shed 503").isZero();
        assertThat(failures).as("unexpected answers").isEmpty();
        assertThat(shed.get()).as("requests shed with 503 (budget %.1f%%)", SHED_BUDGET * 100).isLessThanOrEqualTo((long) (total * SHED_BUDGET));
    }

    private Answer call(Kind kind, java.util.function.Supplier<Answer> request, int expected) {
        Answer answer;
        try {
            answer = request.get();
        } catch (RuntimeException e) {
            failures.add(kind + ": " + e.getMessage());
            return new Answer(-1, Map.of(), "", 0);
        }
        latencies.get(kind).add(answer.millis());
        if (answer.status() == 503 && answer.header("Retry-After").isPresent() && answer.isProblem()) {
            shed.incrementAndGet();
            sheds.add(kind + ": " + answer);
            return answer;
        }
        if (answer.status() >= 500) {
            serverErrors.incrementAndGet();
        }
        check(answer.status() == expected, kind + " expected " + expected + ": " + answer);
        return answer;
    }

    private void check(boolean condition, String failure) {
        if (!condition) {
            failures.add(failure);
        }
    }

    private long report(double seconds, long finalChecks) {
        long total = latencies.values().stream().mapToLong(ConcurrentLinkedQueue::size).sum();
        System.out.printf("[load] %d virtual users, %.0f s, %d requests, %.1f requests/s, 5xx: %d (+ %d shed 503), unexpected: %d%n",
                USERS, seconds, total, total / seconds, serverErrors.get(), shed.get(), failures.size());
        latencies.forEach((kind, values) -> {
            List<Long> sorted = values.stream().sorted().toList();
            if (!sorted.isEmpty()) {
                System.out.printf("[load]   %-8s %7d   p50 %4d ms   p99 %4d ms   max %5d ms%n", kind, sorted.size(),
                        sorted.get(sorted.size() / 2), sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)),
                        sorted.get(sorted.size() - 1));
            }
        });
        System.out.printf("[load] writes acknowledged %d, read back %d, final state verified for %d users%n",
                writesAcknowledged.get(), writesReadBack.get(), finalChecks);
        failures.stream().limit(10).forEach(f -> System.out.println("[load] unexpected: " + f));
        sheds.stream().limit(10).forEach(f -> System.out.println("[load] shed: " + f));
        return total;
    }
}
