package dev.suite.bench.scenario;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;

import dev.suite.bench.BenchSettings;
import dev.suite.bench.load.LoadGenerator;
import dev.suite.bench.load.LoadResult;
import dev.suite.bench.load.Request;
import dev.suite.bench.load.Session;
import dev.suite.bench.report.ScenarioRow;
import dev.suite.bench.stack.BenchStack;

/**
 * The scenarios, in an order that keeps the compared pairs side by side in time: login (against the hash
 * limit measured just before), refresh, direct_read next to revocation_check, gateway_read next to gateway_read_http
 * and flood_read. (make bench-peers puts each Keycloak scenario right after the one it is compared with.)
 * Ratios are filled in by {@link Targets}.
 */
public final class Scenarios {

    public static final String LOGIN = "login";
    public static final String REFRESH = "refresh";
    public static final String GATEWAY_READ = "gateway_read";
    /** The same read over plain HTTP, as the gateway serves it behind the Ingress (TLS ends there). */
    public static final String GATEWAY_READ_HTTP = "gateway_read_http";
    public static final String DIRECT_READ = "direct_read";
    public static final String REVOCATION_CHECK = "revocation_check";
    public static final String FLOOD_READ = "flood_read";

    private final BenchStack stack;
    private final BenchSettings settings;
    private final LoadGenerator load;
    private final SuiteClient client;
    private final List<SuiteClient.User> users;
    private final PrintStream out;
    private final ScenarioRunner runner;
    private List<SuiteClient.Tokens> readTokens;
    private long readTokensAt;

    public Scenarios(BenchStack stack, BenchSettings settings, LoadGenerator load, List<SuiteClient.User> users, PrintStream out) {
        this.stack = stack;
        this.settings = settings;
        this.load = load;
        this.client = new SuiteClient(stack.url(BenchStack.AUTH), stack.caFile());
        this.users = users;
        this.out = out;
        this.runner = new ScenarioRunner(settings, load, out);
    }

    /**
     * Every measured path in turn, alone and at its measured concurrency, unreported, until the JIT compilers of every
     * service are quiet ({@link JitWarmUp}): a freshly started JVM runs its first tens of seconds in the interpreter and
     * the compilers, so a scenario measured cold would report the compiler, not the code.
     */
    public void warmUpAllPaths() {
        Duration none = Duration.ZERO;
        List<SuiteClient.Tokens> chains = client.login(users.subList(0, settings.refreshConcurrency()));
        Map<String, Long> pids = new LinkedHashMap<>();
        stack.services().forEach(service -> pids.put(service.name(), service.pid()));
        // The chains live across rounds: a round that started again from the first refresh token would present a
        // rotated one, which the auth service answers by revoking the whole session.
        List<RefreshChain> refreshChains = RefreshChain.of(chains, i -> RefreshChain.suite(users.get(i)));
        Map<String, Function<Duration, CompletableFuture<LoadResult>>> paths = new LinkedHashMap<>();
        paths.put("refresh", window -> load.start(stack.url(BenchStack.AUTH), stack.caFile(), refreshChains.size(), refreshChains::get, none, window));
        paths.put("login", window -> load.start(stack.url(BenchStack.AUTH), stack.caFile(), BenchSettings.PEER_LOGIN_CONCURRENCY, loginSessions(), none, window));
        int reads = settings.readConcurrency();
        paths.put("read", window -> load.start(stack.url(BenchStack.USER), stack.caFile(), reads, bearerReads(), none, window));
        paths.put("read unchecked", window -> load.start(stack.url(BenchStack.USER_NO_REVOCATION), stack.caFile(), reads, bearerReads(), none, window));
        paths.put("gateway", window -> load.start(stack.gatewayHttpsUrl(), stack.caFile(), reads, cookieReads(), none, window));
        paths.put("gateway http", window -> load.start(stack.gatewayHttpUrl(), stack.caFile(), reads, cookieReads(), none, window));
        JitWarmUp.run("the suite's", pids, settings, paths, out);
    }

    public List<ScenarioRow> login() {
        List<ScenarioRow> rows = new ArrayList<>();
        for (int concurrency : settings.loginConcurrency()) {
            rows.add(run(LOGIN, concurrency, stack.url(BenchStack.AUTH), loginSessions()));
        }
        return rows;
    }

    public ScenarioRow refresh() {
        int concurrency = settings.refreshConcurrency();
        // Sessions of their own: rotating the read scenarios' sessions could revoke their access tokens.
        List<SuiteClient.Tokens> start = client.login(users.subList(0, concurrency));
        return run(REFRESH, concurrency, stack.url(BenchStack.AUTH),
                RefreshChain.of(start, i -> RefreshChain.suite(users.get(i)))::get);
    }

    public ScenarioRow directRead() {
        return run(DIRECT_READ, settings.readConcurrency(), stack.url(BenchStack.USER), bearerReads());
    }

    /** The same direct read against the user-service instance whose revocation check is off. */
    public ScenarioRow revocationCheck() {
        return run(REVOCATION_CHECK, settings.readConcurrency(), stack.url(BenchStack.USER_NO_REVOCATION), bearerReads());
    }

    public ScenarioRow gatewayRead() {
        return run(GATEWAY_READ, settings.readConcurrency(), stack.gatewayHttpsUrl(), cookieReads());
    }

    /** gateway_read over plain HTTP: the bench's gateway serves its API there too (BenchStack says why). */
    public ScenarioRow gatewayReadHttp() {
        return run(GATEWAY_READ_HTTP, settings.readConcurrency(), stack.gatewayHttpUrl(), cookieReads());
    }

    /** gateway_read while a login flood runs straight at the auth service, in the same windows. */
    public ScenarioRow floodRead() {
        int concurrency = settings.readConcurrency();
        IntFunction<Session> reads = cookieReads();
        out.printf("[bench] %s c=%d with a login flood c=%d: %s ...%n", FLOOD_READ, concurrency,
                settings.floodConcurrency(), settings.window());
        CompletableFuture<LoadResult> flood = load.start(stack.url(BenchStack.AUTH), stack.caFile(), settings.floodConcurrency(),
                loginSessions(), settings.warmup(), settings.measure());
        LoadResult read = load.run(stack.gatewayHttpsUrl(), stack.caFile(), concurrency, reads, settings.warmup(),
                settings.measure());
        LoadResult logins = flood.join();
        out.printf("[bench]   login flood meanwhile: %.1f logins/s, %d errors%n", logins.rps(), logins.errors());
        logins.sampleErrors().forEach(e -> out.println("[bench]     flood error: " + e));
        return runner.report(FLOOD_READ, read);
    }

    /** An extra gateway_read, not reported as a scenario (the profile's load). */
    public CompletableFuture<LoadResult> gatewayRead(Duration warmup, Duration measure) {
        return load.start(stack.gatewayHttpsUrl(), stack.caFile(), settings.readConcurrency(), cookieReads(), warmup, measure);
    }

    /** Over https when the URL says so (the gateway's HTTPS port and, since issue 17, the services), trusting the suite CA only. */
    private ScenarioRow run(String name, int concurrency, String url, IntFunction<Session> sessions) {
        return runner.run(name, concurrency, url, stack.caFile(), sessions);
    }

    /**
     * Each connection is another browser, as the gateway tells the auth service (X-Forwarded-For, believed from
     * 127.0.0.1): from one address the flood would meet the per-client share of the hashing pool, which is the point
     * of that share, not what this scenario measures.
     */
    private IntFunction<Session> loginSessions() {
        return i -> Session.repeating(Request.postJson("/login", users.get(i % users.size()).loginJson())
                .with("X-Forwarded-For", String.format("2001:db8:be:%x::1", i)));
    }

    private IntFunction<Session> bearerReads() {
        List<SuiteClient.Tokens> tokens = readTokens();
        return i -> Session.repeating(Request.get("/users/me",
                Map.of("Authorization", "Bearer " + tokens.get(i % tokens.size()).accessToken())));
    }

    /** What the SPA sends: the access cookie over HTTPS (a GET needs no CSRF token). */
    private IntFunction<Session> cookieReads() {
        List<SuiteClient.Tokens> tokens = readTokens();
        return i -> Session.repeating(Request.get("/api/users/me",
                Map.of("Cookie", "__Host-access=" + tokens.get(i % tokens.size()).accessToken())));
    }

    /** Access tokens live 10 minutes: log in again when the ones at hand are older than 4. */
    private List<SuiteClient.Tokens> readTokens() {
        if (readTokens == null || System.nanoTime() - readTokensAt > 240_000_000_000L) {
            int count = Math.min(users.size(), settings.readConcurrency());
            out.printf("[bench] logging in %d users for access tokens ...%n", count);
            readTokens = client.login(users.subList(0, count));
            readTokensAt = System.nanoTime();
        }
        return readTokens;
    }
}
