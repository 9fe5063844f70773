package dev.suite.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.suite.launcher.ServiceProcess;
import dev.suite.launcher.SuiteProcesses;
import dev.suite.launcher.SuiteTopology;
import dev.suite.launcher.Tuning;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.SuiteRoot;
import dev.suite.system.support.Answer;
import dev.suite.system.support.Http;
import io.vertx.core.json.JsonObject;

/**
 * A rollout as Kubernetes does it (issue 18, item 2), on the auth service, whose lost answers cost the most: a refresh
 * whose answer is cut has rotated the token, and the client, still holding the old one, loses its session once the grace
 * window has passed. Traffic flows (password logins at the production bcrypt cost, so several are mid-hash at any
 * moment, and refresh chains), then the load balancer stops sending new requests (the pod left the endpoints during its
 * preStop pause) and the pod gets SIGTERM. Every request it had accepted must be answered 200: none cut, none a 5xx. A
 * request refused at connect reached nothing and counts apart (the balancer sends it elsewhere). Afterwards every chain
 * goes on from the token its client holds.
 */
class GracefulShutdownTest {

    private static final int LOGIN_CLIENTS = 6;
    private static final int REFRESH_CHAINS = 12;
    private static final String PASSWORD = "amber-kestrel-orchard-19";

    @Test
    void sigtermAnswersEveryAcceptedRequestAndRevokesNoSession() throws Exception {
        Path logFile = SuiteRoot.find().resolve("system-tests/target/graceful-shutdown.log");
        Files.createDirectories(logFile.getParent());
        // The production hashing cost (no FAST_HASHING): a login is in flight for long enough to meet the SIGTERM.
        SuiteTopology topology = SuiteTopology.onFreePorts().tuned(Tuning.ONE_CLIENT_ADDRESS);
        try (PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, "UTF-8");
                SuiteProcesses suite = new SuiteProcesses(LocalStack.shared(), topology, name -> log)) {
            ServiceProcess auth = suite.start(SuiteTopology.AUTH);
            String url = auth.url();
            // One account per login client: the hashing pool gives each account only its share (429 beyond it).
            JsonObject[] accounts = new JsonObject[LOGIN_CLIENTS];
            for (int i = 0; i < LOGIN_CLIENTS; i++) {
                String email = "rollout-" + UUID.randomUUID() + "@example.com";
                assertThat(post(url, "/register", new JsonObject().put("email", email).put("password", PASSWORD)
                        .put("displayName", "Rollout")).status()).isEqualTo(202);
                accounts[i] = new JsonObject().put("email", email).put("password", PASSWORD);
            }
            AtomicReferenceArray<String> held = new AtomicReferenceArray<>(REFRESH_CHAINS);
            for (int i = 0; i < REFRESH_CHAINS; i++) {
                held.set(i, post(url, "/login", accounts[i % LOGIN_CLIENTS]).json().getString("refreshToken"));
            }

            AtomicBoolean endpointRemoved = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger loginsInFlight = new AtomicInteger();
            AtomicInteger refusedAtConnect = new AtomicInteger();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            // Before SIGTERM, a busy machine may answer a login 503 (the throttle's Redis call is bounded at 0.5 s): not
            // this test's subject, but counted and shown, and nothing else is allowed there.
            Queue<Answer> overloadedBefore = new ConcurrentLinkedQueue<>();
            ExecutorService clients = Executors.newFixedThreadPool(LOGIN_CLIENTS + REFRESH_CHAINS);
            for (JsonObject credentials : accounts) {
                clients.submit(() -> {
                    while (!endpointRemoved.get()) {
                        loginsInFlight.incrementAndGet();
                        try {
                            expectOk("login", () -> post(url, "/login", credentials), endpointRemoved, answered, refusedAtConnect, failures,
                                    overloadedBefore);
                        } finally {
                            loginsInFlight.decrementAndGet();
                        }
                    }
                });
            }
            for (int i = 0; i < REFRESH_CHAINS; i++) {
                int chain = i;
                clients.submit(() -> {
                    while (!endpointRemoved.get()) {
                        Answer answer = expectOk("refresh", () -> post(url, "/refresh",
                                new JsonObject().put("refreshToken", held.get(chain))), endpointRemoved, answered, refusedAtConnect, failures,
                                overloadedBefore);
                        if (answer == null) {
                            return;
                        }
                        held.set(chain, answer.json().getString("refreshToken"));
                    }
                });
            }
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((answered.get() < 10 * REFRESH_CHAINS || loginsInFlight.get() < 2) && System.nanoTime() < waitUntil) {
                Thread.sleep(5);
            }
            endpointRemoved.set(true);
            int loginsMidHash = loginsInFlight.get();
            assertThat(loginsMidHash).as("logins in flight at SIGTERM (else this test proves nothing)").isGreaterThanOrEqualTo(2);
            long stopping = System.nanoTime();
            suite.stop(SuiteTopology.AUTH); // SIGTERM, then wait for the exit
            long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            assertThat(failures).as("requests the service accepted and did not answer 200").isEmpty();
            assertThat(overloadedBefore).as("before SIGTERM, only the throttle's bounded wait may fail a request")
                    .allSatisfy(answer -> assertThat(answer.status() == 503 && answer.isProblem()).as(answer.toString()).isTrue());

            suite.start(SuiteTopology.AUTH);
            for (int i = 0; i < REFRESH_CHAINS; i++) {
                Answer next = post(url, "/refresh", new JsonObject().put("refreshToken", held.get(i)));
                assertThat(next.status()).as("chain %d goes on from the token its client holds: %s", i, next).isEqualTo(200);
            }
            System.out.printf("[graceful-shutdown] %d answers before SIGTERM; %d logins mid-hash at SIGTERM, all answered 200; "
                    + "%d refused at connect; the stop took %d ms; %d chains go on after the restart; %d overload 503s before "
                    + "SIGTERM%n", answered.get(), loginsMidHash, refusedAtConnect.get(), stopMillis, REFRESH_CHAINS, overloadedBefore.size());
        }
    }

    /**
     * Sends one request: its answer when 200; null when the request reached nothing (connection refused) or failed,
     * which {@code failures} records unless it was refused at connect, or a 503 before the shutdown began.
     */
    private static Answer expectOk(String what, Supplier<Answer> request, AtomicBoolean shuttingDown, AtomicInteger answered,
            AtomicInteger refusedAtConnect, Queue<String> failures, Queue<Answer> overloadedBefore) {
        try {
            Answer answer = request.get();
            if (answer.status() == 200) {
                answered.incrementAndGet();
                return answer;
            }
            if (!shuttingDown.get()) {
                overloadedBefore.add(answer);
                return null;
            }
            failures.add(what + ": " + answer);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ConnectException) {
                refusedAtConnect.incrementAndGet();
            } else {
                failures.add(what + ": " + e.getMessage());
            }
        }
        return null;
    }

    private static Answer post(String url, String path, JsonObject body) {
        return Http.send("POST", url + path, Map.of(), body.encode());
    }
}
