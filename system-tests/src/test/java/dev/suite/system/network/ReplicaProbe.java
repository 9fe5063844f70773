package dev.suite.system.network;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.suite.system.support.Answer;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Tls;
import io.vertx.core.json.JsonObject;

/**
 * What a program on one of {@link ReplicasAcrossHostsTest}'s hosts does against the replicas (run there like
 * {@link Probe}: {@code ip netns exec HOST java ... ReplicaProbe}); one line per result for the test to assert on. A
 * replica is named by its URL; the first of a pair is "a", the second "b".
 * <ul>
 * <li>{@code register AUTH-URL EMAIL}: a new account at that auth replica ({@code register STATUS})</li>
 * <li>{@code logout-across AUTH-A AUTH-B USERS-A USERS-B}: sign-in at b, logout at a, then what each replica says to the
 * session's tokens</li>
 * <li>{@code refresh-race AUTH-A AUTH-B USERS-A ROUNDS GRACE-MS}: the same refresh token sent to both auth replicas at
 * the same moment, ROUNDS times; then the used token again after the grace window</li>
 * <li>{@code rotation-traffic AUTH-A AUTH-B USERS-A USERS-B GATEWAY ADMIN-EMAIL ROTATIONS SPACING-MS}: tokens from both
 * auth replicas (and the gateway's session) verified at both user replicas (and the gateway) without a pause, while
 * the admin rotates the signing key at a, ROTATIONS times SPACING-MS apart</li>
 * <li>{@code sessions GATEWAY N}: N users at once through the gateway, each signing up, in, reading, writing,
 * refreshing and out; {@code session I ok}, or the first step that answered otherwise</li>
 * <li>{@code promote-admin PG-ADDRESS PG-PORT PASSWORD-ENV EMAIL}: as auth_owner (from the migrations host, the only
 * one pg_hba lets it in from), gives the account the admin role, as an operator would; {@code promoted ROWS}</li>
 * <li>{@code writes GATEWAY CLIENTS}: each client signs up through the gateway, prints {@code ready}, then writes its
 * bio in a loop until a line arrives on stdin; then reads every bio back</li>
 * </ul>
 */
public final class ReplicaProbe {

    /**
     * Trusts the run's CA only (-Dsuite.tls.ca-file, which only a probe's JVM has), should a replica's URL be https
     * (SuiteTopology.urlOf decides). Made on first use: the test's own JVM loads this class too.
     */
    private static final class Client {
        static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(Tls.context())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * How often a 503 problem with Retry-After (the fail-closed answer when Redis misses its 500 ms bound, as it can on
     * this shared 2-core machine; it has tests of its own) is retried, as a client does, before it is the answer.
     */
    private static final int SHED_RETRIES = 5;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "register" -> System.out.println("register " + register(args[1], args[2]).status);
            case "logout-across" -> logoutAcross(args[1], args[2], args[3], args[4]);
            case "refresh-race" -> refreshRace(args[1], args[2], args[3], Integer.parseInt(args[4]), Long.parseLong(args[5]));
            case "rotation-traffic" -> rotationTraffic(args[1], args[2], args[3], args[4], args[5], args[6], Integer.parseInt(args[7]),
                    Long.parseLong(args[8]));
            case "writes" -> writes(args[1], Integer.parseInt(args[2]));
            case "sessions" -> sessions(args[1], Integer.parseInt(args[2]));
            case "promote-admin" -> System.out.println("promoted " + promoteAdmin(args[1], args[2], System.getenv(args[3]), args[4]));
            default -> throw new IllegalArgumentException("Unknown probe " + args[0]);
        }
        System.out.flush();
        System.exit(0);   // the HTTP clients' threads would keep the JVM alive
    }

    /** A logout answered by one replica: the other auth replica and both user replicas refuse the session next. */
    static void logoutAcross(String authA, String authB, String usersA, String usersB) {
        String email = newEmail("logout");
        step("register a", register(authA, email));
        Reply login = login(authB, email);
        step("login b", login);
        String access = login.json().getString("accessToken");
        String refresh = login.json().getString("refreshToken");
        step("read a", call("GET", usersA + "/users/me", access, null));
        step("read b", call("GET", usersB + "/users/me", access, null));
        step("logout a", call("POST", authA + "/logout", access, null));
        step("read-after-logout a", call("GET", usersA + "/users/me", access, null));
        step("read-after-logout b", call("GET", usersB + "/users/me", access, null));
        step("refresh-after-logout b", call("POST", authB + "/refresh", null, new JsonObject().put("refreshToken", refresh).encode()));
        step("logout-all-after-logout b", call("POST", authB + "/logout-all", access, null));
    }

    /**
     * Two tabs refreshing at once, each through a different replica: both must get the one successor (the grace window
     * of DESIGN.md's rule 3), which then carries the session on; the used token presented after the window kills it.
     */
    static void refreshRace(String authA, String authB, String usersA, int rounds, long graceMillis) throws Exception {
        String email = newEmail("race");
        step("register", register(authA, email));
        for (int round = 1; round <= rounds; round++) {
            Reply login = login(round % 2 == 0 ? authA : authB, email);
            String refresh = login.json().getString("refreshToken");
            // Warm both connections so that neither request pays a TCP handshake the other does not.
            call("GET", authA + "/.well-known/jwks.json", null, null);
            call("GET", authB + "/.well-known/jwks.json", null, null);
            CyclicBarrier together = new CyclicBarrier(2);
            String body = new JsonObject().put("refreshToken", refresh).encode();
            CompletableFuture<Reply> a = CompletableFuture.supplyAsync(() -> atOnce(together, () -> call("POST", authA + "/refresh", null, body)));
            CompletableFuture<Reply> b = CompletableFuture.supplyAsync(() -> atOnce(together, () -> call("POST", authB + "/refresh", null, body)));
            Reply ra = a.join();
            Reply rb = b.join();
            String successorA = ra.status == 200 ? ra.json().getString("refreshToken") : null;
            String successorB = rb.status == 200 ? rb.json().getString("refreshToken") : null;
            boolean same = successorA != null && successorA.equals(successorB);
            System.out.println("round " + round + " a " + ra.status + " b " + rb.status + (same ? " one-successor" : " no-common-successor"));
            // The family lives on through the successor, and its access tokens are good at the user service.
            String successor = successorA != null ? successorA : successorB;
            if (successor == null) {
                continue;
            }
            Reply next = call("POST", authB + "/refresh", null, new JsonObject().put("refreshToken", successor).encode());
            System.out.println("round " + round + " successor-refresh " + next.status
                    + " read " + (next.status == 200 ? call("GET", usersA + "/users/me", next.json().getString("accessToken"), null).status : 0));
            if (round == rounds) {
                // DESIGN.md rule 3: a used token presented after the grace window revokes its whole family.
                Thread.sleep(graceMillis + 1000);
                String newest = next.status == 200 ? next.json().getString("refreshToken") : null;
                step("reuse-after-grace a", call("POST", authA + "/refresh", null, body));
                step("family-after-reuse b", call("POST", authB + "/refresh", null, new JsonObject().put("refreshToken", newest).encode()));
            }
        }
    }

    private static Reply atOnce(CyclicBarrier together, java.util.function.Supplier<Reply> call) {
        try {
            together.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return call.get();
    }

    /**
     * Verified requests without a pause at both user replicas (and through the gateway, its own verifier), with tokens
     * both auth replicas issue, across ROTATIONS key rotations made at replica a. Prints each rotation, when each auth
     * replica first signed with the new key, how many verifications each verifier made per kid, and every refusal.
     */
    static void rotationTraffic(String authA, String authB, String usersA, String usersB, String gateway, String adminEmail,
            int rotations, long spacingMillis) throws Exception {
        String admin = login(authA, adminEmail).json().getString("accessToken");
        String[] auths = { authA, authB };
        String[] refresh = new String[2];
        for (int i = 0; i < 2; i++) {
            String email = newEmail("rotation");
            register(auths[i], email);
            refresh[i] = login(auths[i], email).json().getString("refreshToken");
        }
        Browser browser = Browser.signedUp(gateway, "rotation");
        Map<String, Map<String, Integer>> verified = new TreeMap<>();   // verifier -> kid -> count
        List<String> refused = new ArrayList<>();
        List<String> rotated = new ArrayList<>();
        Map<String, Long> firstSigned = new LinkedHashMap<>();          // "auth-b kid" -> ms after its rotation
        long rotatedAt = 0;
        long started = System.nanoTime();
        long nextRotation = started + 2_000_000_000L;
        long stopAt = Long.MAX_VALUE;
        for (int i = 0; System.nanoTime() < stopAt && System.nanoTime() - started < 90_000_000_000L; i++) {
            if (rotated.size() < rotations && System.nanoTime() >= nextRotation) {
                Reply rotation = call("POST", authA + "/admin/keys/rotation", admin, "{}");
                rotatedAt = System.nanoTime();
                String current = rotation.status == 200 ? rotation.json().getString("current") : "none";
                rotated.add(current);
                System.out.println("rotation " + rotated.size() + " " + rotation.status + (rotation.status == 200 ? "" : " " + rotation.body));
                nextRotation = rotatedAt + spacingMillis * 1_000_000L;
            }
            int r = i % 2;
            String replica = r == 0 ? "auth-a" : "auth-b";
            Reply tokens = call("POST", auths[r] + "/refresh", null, new JsonObject().put("refreshToken", refresh[r]).encode());
            if (tokens.status != 200) {
                refused.add("refresh at " + replica + " " + tokens.status + " " + tokens.body);
                break;
            }
            refresh[r] = tokens.json().getString("refreshToken");
            String access = tokens.json().getString("accessToken");
            String kid = kidOf(access);
            if (!rotated.isEmpty() && kid.equals(rotated.get(rotated.size() - 1))) {
                firstSigned.putIfAbsent(replica + " " + kid, (System.nanoTime() - rotatedAt) / 1_000_000);
            }
            verify("users-a", kid, call("GET", usersA + "/users/me", access, null), verified, refused);
            verify("users-b", kid, call("GET", usersB + "/users/me", access, null), verified, refused);
            Answer viaGateway = retryingShed(browser::refresh);
            if (viaGateway.status() != 200) {
                refused.add("gateway refresh " + viaGateway.status() + " " + viaGateway.body());
            } else {
                Answer read = retryingShed(browser::me);
                verify("gateway", kidOf(browser.cookie(Browser.ACCESS)),
                        new Reply(read.status(), read.body()), verified, refused);
            }
            boolean allSeen = rotated.size() == rotations && !rotated.contains("none")
                    && firstSigned.containsKey("auth-a " + rotated.get(rotations - 1)) && firstSigned.containsKey("auth-b " + rotated.get(rotations - 1));
            if (allSeen && stopAt == Long.MAX_VALUE) {
                stopAt = System.nanoTime() + 2_000_000_000L;   // and two more seconds of traffic with the newest key
            }
        }
        firstSigned.forEach((what, millis) -> System.out.println("first-signed " + what + " " + millis + " ms after its rotation"));
        System.out.println("rotated-to " + String.join(" ", rotated));
        verified.forEach((verifier, kids) -> kids.forEach((kid, count) -> System.out.println("verified " + verifier + " " + kid + " " + count)));
        refused.forEach(line -> System.out.println("refused " + line));
        System.out.println("refusals " + refused.size());
    }

    private static void verify(String verifier, String kid, Reply reply, Map<String, Map<String, Integer>> verified, List<String> refused) {
        if (reply.status == 200) {
            verified.computeIfAbsent(verifier, v -> new TreeMap<>()).merge(kid, 1, Integer::sum);
        } else {
            refused.add(verifier + " kid " + kid + " " + reply.status + " " + reply.body);
        }
    }

    /**
     * Profile writes under traffic, each client's bio a counter it raises one write at a time: the last acknowledged
     * value (2xx) and the last attempted one bound what may be stored. Every answer is counted by status, and whether a
     * failure was a problem+json; a request the client gave up on (no answer within Http's timeout) is a hang.
     */
    static void writes(String gateway, int clients) throws Exception {
        List<Browser> browsers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            browsers.add(Browser.signedUp(gateway, "writer"));
        }
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong notProblem = new AtomicLong();
        AtomicLong hangs = new AtomicLong();
        AtomicLong slowest = new AtomicLong();
        long[] acked = new long[clients];
        long[] attempted = new long[clients];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                for (long n = 1; !stop.get(); n++) {
                    attempted[client] = n;
                    try {
                        Answer answer = browsers.get(client).patchMe(new JsonObject().put("bio", "write " + n));
                        statuses.computeIfAbsent(String.valueOf(answer.status()), s -> new AtomicLong()).incrementAndGet();
                        slowest.accumulateAndGet(answer.millis(), Math::max);
                        if (answer.status() / 100 == 2) {
                            acked[client] = n;
                        } else if (!answer.isProblem()) {
                            notProblem.incrementAndGet();
                            System.out.println("not-a-problem " + answer);
                        }
                    } catch (RuntimeException e) {
                        hangs.incrementAndGet();
                        System.out.println("no-answer " + e.getMessage());
                    }
                }
            }, "writer-" + c);
            thread.start();
            threads.add(thread);
        }
        System.out.println("ready");
        System.out.flush();
        try (BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            stdin.readLine();
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        int lost = 0;
        for (int c = 0; c < clients; c++) {
            Answer read = browsers.get(c).me();
            String bio = read.status() == 200 ? read.json().getString("bio", "") : "unreadable " + read.status();
            long stored = bio.startsWith("write ") ? Long.parseLong(bio.substring(6)) : 0;
            boolean kept = stored >= acked[c] && stored <= attempted[c];
            lost += kept ? 0 : 1;
            System.out.println("client " + c + " acked " + acked[c] + " attempted " + attempted[c] + " stored " + stored + (kept ? " kept" : " LOST"));
        }
        new TreeMap<>(statuses).forEach((status, count) -> System.out.println("status " + status + " " + count));
        System.out.println("lost " + lost);
        System.out.println("not-problem " + notProblem.get());
        System.out.println("no-answer " + hangs.get());
        System.out.println("slowest-ms " + slowest.get());
    }

    static void sessions(String gateway, int count) {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(count);
        List<CompletableFuture<String>> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int session = i;
            sessions.add(CompletableFuture.supplyAsync(() -> "session " + session + " " + session(gateway), threads));
        }
        sessions.forEach(session -> System.out.println(session.join()));
        threads.shutdown();
    }

    private static String session(String gateway) {
        Browser browser = new Browser(gateway);
        Map<String, java.util.function.Supplier<Answer>> steps = new LinkedHashMap<>();
        String email = newEmail("session");
        steps.put("csrf 200", browser::csrf);
        steps.put("register 202", () -> browser.register(email, "Replica Session"));
        steps.put("login 200", () -> browser.login(email, Browser.PASSWORD));
        steps.put("read 200", browser::me);
        steps.put("write 200", () -> browser.patchMe(new JsonObject().put("bio", "spread")));
        steps.put("refresh 200", browser::refresh);
        steps.put("read-after-refresh 200", browser::me);
        steps.put("logout 204", browser::logout);
        for (var step : steps.entrySet()) {
            Answer answer = retryingShed(step.getValue());
            String expected = step.getKey();
            if (!expected.endsWith(" " + answer.status())) {
                return "failed at " + expected.split(" ")[0] + " " + answer;
            }
        }
        return "ok";
    }

    static int promoteAdmin(String address, String port, String password, String email) throws java.sql.SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", "auth_owner");
        properties.setProperty("password", password);
        properties.setProperty("sslmode", "verify-full");
        properties.setProperty("sslrootcert", System.getProperty("suite.tls.ca-file"));
        try (java.sql.Connection owner = java.sql.DriverManager.getConnection("jdbc:postgresql://" + address + ":" + port + "/auth", properties);
                java.sql.PreparedStatement update = owner.prepareStatement("UPDATE account SET roles = 'user,admin' WHERE email = ?")) {
            update.setString(1, email);
            return update.executeUpdate();
        }
    }

    static String newEmail(String prefix) {
        return "replicas-" + prefix + "-" + UUID.randomUUID() + "@example.com";
    }

    static Reply register(String auth, String email) {
        return call("POST", auth + "/register", null, new JsonObject().put("email", email).put("password", Browser.PASSWORD)
                .put("displayName", "Replica Tester").encode());
    }

    static Reply login(String auth, String email) {
        Reply login = call("POST", auth + "/login", null, new JsonObject().put("email", email).put("password", Browser.PASSWORD).encode());
        if (login.status != 200) {
            throw new IllegalStateException("login at " + auth + ": " + login.status + " " + login.body);
        }
        return login;
    }

    static String kidOf(String token) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8)).getString("kid");
    }

    /** An HTTP call to a service, as the gateway or another pod makes it (a bearer token, JSON); bounded like Http's. */
    static Reply call(String method, String url, String bearer, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = Client.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (int retry = 1; retry <= SHED_RETRIES && shed(response.statusCode(), response.headers().firstValue("Retry-After")); retry++) {
                System.err.println("shed (retried) " + method + " " + url + ": " + response.body());
                Thread.sleep(1000);   // the suite's Retry-After: 1
                response = Client.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted");
        }
    }

    private static boolean shed(int status, java.util.Optional<String> retryAfter) {
        return status == 503 && retryAfter.isPresent();
    }

    /** {@code step} through the gateway, retried like {@link #call} when shed. */
    private static Answer retryingShed(java.util.function.Supplier<Answer> step) {
        Answer answer = step.get();
        for (int retry = 1; retry <= SHED_RETRIES && shed(answer.status(), answer.header("Retry-After")); retry++) {
            System.err.println("shed (retried) through the gateway: " + answer);
            try {
                Thread.sleep(1000);   // the suite's Retry-After: 1
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
            answer = step.get();
        }
        return answer;
    }

    record Reply(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private static void step(String name, Reply reply) {
        System.out.println(name + " " + reply.status);
    }
}
