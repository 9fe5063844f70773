package dev.suite.bench.peer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
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
import dev.suite.bench.scenario.RefreshChain;
import dev.suite.bench.scenario.ScenarioRunner;
import dev.suite.bench.scenario.JitWarmUp;
import dev.suite.bench.scenario.SuiteClient;

/**
 * Keycloak's side of the suite's scenarios, with the same load generator, windows and concurrency: the password grant
 * (login), the refresh grant chained as the suite's refresh is (with Keycloak's default, which returns a new refresh
 * token but accepts the old one again, and with rotation on), and {@code userinfo} with a bearer token (the
 * verified read: Keycloak checks the token and its session, then answers the user's claims), over plain HTTP and over
 * HTTPS: the suite's services answer HTTPS only, so its direct read is compared with {@link #USERINFO_HTTPS}.
 */
public final class KeycloakScenarios {

    public static final String LOGIN = "keycloak_login";
    public static final String REFRESH = "keycloak_refresh";
    public static final String REFRESH_ROTATING = "keycloak_refresh_rotating";
    public static final String USERINFO = "keycloak_userinfo";
    public static final String USERINFO_HTTPS = "keycloak_userinfo_https";

    private final Keycloak keycloak;
    private final KeycloakAdmin admin;
    private final BenchSettings settings;
    private final LoadGenerator load;
    private final List<SuiteClient.User> users;
    private final PrintStream out;
    private final ScenarioRunner runner;
    private List<SuiteClient.Tokens> readTokens;
    private long readTokensAt;

    public KeycloakScenarios(Keycloak keycloak, KeycloakAdmin admin, BenchSettings settings, LoadGenerator load,
            List<SuiteClient.User> users, PrintStream out) {
        this.keycloak = keycloak;
        this.admin = admin;
        this.settings = settings;
        this.load = load;
        this.users = users;
        this.out = out;
        this.runner = new ScenarioRunner(settings, load, out);
    }

    /** Keycloak's JIT warm-up, as the suite's: every path in turn at its measured concurrency until its compilers are quiet. */
    public void warmUpAllPaths(Path caFile) {
        Duration none = Duration.ZERO;
        List<SuiteClient.Tokens> chains = admin.login(users.subList(0, settings.refreshConcurrency()));
        List<RefreshChain> refreshChains = RefreshChain.of(chains, i -> protocol(users.get(i)));
        int reads = settings.readConcurrency();
        Map<String, Function<Duration, CompletableFuture<LoadResult>>> paths = new LinkedHashMap<>();
        paths.put("refresh", window -> load.start(keycloak.url(), null, refreshChains.size(), refreshChains::get, none, window));
        paths.put("login", window -> load.start(keycloak.url(), null, BenchSettings.PEER_LOGIN_CONCURRENCY, logins(), none, window));
        paths.put("userinfo", window -> load.start(keycloak.url(), null, reads, userinfoReads(), none, window));
        paths.put("userinfo https", window -> load.start(keycloak.httpsUrl(), caFile, reads, userinfoReads(), none, window));
        JitWarmUp.run("Keycloak's", Map.of("keycloak", keycloak.pid()), settings, paths, out);
    }

    /** The password grant at the suite's login concurrency that has a target (c=8). */
    public ScenarioRow login(int concurrency) {
        return runner.run(LOGIN, concurrency, keycloak.url(), null, logins());
    }

    /** Chained refreshes with rotation off (Keycloak's default) or on ({@code revokeRefreshToken}), fresh sessions each. */
    public ScenarioRow refresh(boolean rotating) {
        admin.rotation(rotating);
        int concurrency = settings.refreshConcurrency();
        List<SuiteClient.Tokens> start = admin.login(users.subList(0, concurrency));
        try {
            return runner.run(rotating ? REFRESH_ROTATING : REFRESH, concurrency, keycloak.url(), null,
                    RefreshChain.of(start, i -> protocol(users.get(i)))::get);
        } finally {
            if (rotating) {
                admin.rotation(false);
            }
        }
    }

    public ScenarioRow userinfo() {
        return runner.run(USERINFO, settings.readConcurrency(), keycloak.url(), null, userinfoReads());
    }

    /** userinfo on Keycloak's HTTPS port, trusting only the CA of the certificate it was given. */
    public ScenarioRow userinfoHttps(Path caFile) {
        return runner.run(USERINFO_HTTPS, settings.readConcurrency(), keycloak.httpsUrl(), caFile, userinfoReads());
    }

    private IntFunction<Session> logins() {
        return i -> Session.repeating(Request.postForm(KeycloakAdmin.tokenPath(), admin.passwordGrant(users.get(i % users.size()))));
    }

    private IntFunction<Session> userinfoReads() {
        List<SuiteClient.Tokens> tokens = readTokens();
        return i -> Session.repeating(Request.get(KeycloakAdmin.userinfoPath(),
                Map.of("Authorization", "Bearer " + tokens.get(i % tokens.size()).accessToken())));
    }

    private RefreshChain.Protocol protocol(SuiteClient.User user) {
        return new RefreshChain.Protocol() {
            @Override
            public Request login() {
                return Request.postForm(KeycloakAdmin.tokenPath(), admin.passwordGrant(user));
            }

            @Override
            public Request refresh(String refreshToken) {
                return Request.postForm(KeycloakAdmin.tokenPath(), admin.refreshGrant(refreshToken));
            }

            @Override
            public String refreshToken(String answer) {
                return KeycloakAdmin.refreshToken(answer);
            }
        };
    }

    /** The realm's access tokens live 10 minutes, as the suite's: log in again when the ones at hand are older than 4. */
    private List<SuiteClient.Tokens> readTokens() {
        if (readTokens == null || System.nanoTime() - readTokensAt > 240_000_000_000L) {
            int count = Math.min(users.size(), settings.readConcurrency());
            out.printf("[bench] logging %d users in to Keycloak for access tokens ...%n", count);
            readTokens = admin.login(users.subList(0, count));
            readTokensAt = System.nanoTime();
        }
        return readTokens;
    }
}
