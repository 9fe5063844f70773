package dev.suite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.suite.bench.hashing.BcryptImplementations;
import dev.suite.bench.hashing.ConfiguredCost;
import dev.suite.bench.hashing.HashLimit;
import dev.suite.bench.load.LoadGenerator;
import dev.suite.bench.load.LoadResult;
import dev.suite.bench.machine.MachineInfo;
import dev.suite.bench.machine.ProcessMemory;
import dev.suite.bench.peer.Keycloak;
import dev.suite.bench.peer.KeycloakAdmin;
import dev.suite.bench.peer.KeycloakScenarios;
import dev.suite.bench.profile.JfrHotFrames;
import dev.suite.bench.report.BenchResults;
import dev.suite.bench.report.ResultsJson;
import dev.suite.bench.report.ResultsTable;
import dev.suite.bench.report.ScenarioRow;
import dev.suite.bench.report.Targets;
import dev.suite.bench.scenario.Scenarios;
import dev.suite.bench.scenario.SuiteClient;
import dev.suite.bench.stack.BenchStack;
import dev.suite.localstack.GuestDatabase;
import dev.suite.localstack.SuiteRoot;

/**
 * {@code make bench}: starts the real stack, measures issue 8's scenarios with a closed-loop load generator on
 * loopback, stops everything, then prints the table and writes target/bench/results.json. Ctrl-C stops
 * everything too (shutdown hook).
 */
public final class Bench {

    private static final PrintStream OUT = System.out;
    private static final int USERS = 32;

    /** What is running: the stack (PostgreSQL, Redis, the services) and the peer. Stopped peer first, it uses PostgreSQL. */
    private static final class Running {
        final AtomicReference<BenchStack> stack = new AtomicReference<>();
        final AtomicReference<Keycloak> keycloak = new AtomicReference<>();

        boolean any() {
            return stack.get() != null || keycloak.get() != null;
        }
    }

    public static void main(String[] args) {
        Running running = new Running();
        AtomicBoolean interrupted = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            interrupted.set(true);
            if (running.any()) {
                OUT.println("[bench] stopping everything (interrupted) ...");
            }
            stop(running);
        }, "bench-stop"));
        int exit;
        try {
            exit = run(running);
        } catch (Exception | AssertionError e) {
            if (interrupted.get()) {
                return; // the hook stops everything; a stack trace would only hide that
            }
            OUT.println("[bench] FAILED: " + e);
            e.printStackTrace(OUT);
            exit = 1;
        }
        stop(running);
        System.exit(exit);
    }

    private static int run(Running running) throws Exception {
        long started = System.nanoTime();
        BenchSettings settings = BenchSettings.fromEnvironment();
        Path root = SuiteRoot.find();
        Path dir = root.resolve("target/bench");
        Files.createDirectories(dir.resolve("logs"));
        Map<String, Object> machine = MachineInfo.now();
        int cost = ConfiguredCost.bcrypt(root);
        OUT.printf("[bench] %s; bcrypt cost %d (what the packaged auth-service is configured with); %s per scenario%s%n",
                machine, cost, settings.window(), settings.quick() ? " (BENCH_QUICK: a smoke run, figures mean little)" : "");
        Path keycloakHome = settings.keycloakHome() == null ? null : Keycloak.distribution(root.resolve(settings.keycloakHome()));
        if (keycloakHome != null) {
            OUT.printf("[bench] peer: Keycloak %s from %s, on this JDK (%s)%n", Keycloak.version(keycloakHome), keycloakHome,
                    System.getProperty("java.home"));
            Keycloak.buildOnce(keycloakHome, dir.resolve("logs/keycloak-build.log"));
        }

        GuestDatabase keycloakDb = keycloakHome == null ? null : Keycloak.database();
        BenchStack stack = startAndSettle(dir, running, keycloakHome, keycloakDb);
        Keycloak keycloak = running.keycloak.get();
        List<SuiteClient.User> users = registerUsers(stack, settings);
        KeycloakAdmin admin = keycloak == null ? null : KeycloakAdmin.setUp(keycloak, users, OUT);
        Measured measured = measure(stack, keycloak, admin, settings, users, cost, dir);
        stack.services().forEach(s -> s.recordAfter(ProcessMemory.rssMiB(s.pid())));
        double keycloakAfter = keycloak == null ? -1 : ProcessMemory.rssMiB(keycloak.pid());
        // Issue 8's comparison of bcrypt libraries (about 30 s) is make bench's: it has nothing to compare with the peer.
        List<BcryptImplementations.Result> hashers = keycloak == null ? compareHashers(settings, cost) : List.of();
        List<BenchResults.ServiceFigures> services = serviceFigures(stack);
        OUT.println("[bench] stopping " + (keycloak == null ? "" : "Keycloak, ") + "the services, PostgreSQL and Redis ...");
        stop(running);

        List<ScenarioRow> rows = Targets.apply(measured.rows(), measured.limit().perSecond());
        BenchResults.PeerFigures peer = null;
        if (keycloak != null) {
            List<ScenarioRow> peerRows = Targets.applyPeer(measured.peerRows(), measured.peerLimit().perSecond());
            rows = Targets.versus(rows, peerRows);
            peer = new BenchResults.PeerFigures("Keycloak", Keycloak.version(keycloakHome), keycloak.startupMs(), keycloak.rssIdleMiB(),
                    keycloakAfter, measured.peerLimit(), peerRows, Keycloak.settings(keycloakHome));
        }
        BenchResults results = new BenchResults(machine, settingsMap(settings, cost), rows, services, measured.limit(), hashers,
                measured.profile(), peer, List.of());
        report(results.withPeerTargets(Targets.againstPeer(rows, results.totalIdleMiB(), results.totalAfterMiB(), peer)), dir, started);
        return 0;
    }

    /**
     * What the load phase measured: the scenario rows, the hash limit of the login ratios, the profile hint; and the
     * peer's rows and hash limit (empty and null without a peer).
     */
    private record Measured(List<ScenarioRow> rows, HashLimit.Result limit, List<JfrHotFrames.Profile> profile,
            List<ScenarioRow> peerRows, HashLimit.Result peerLimit) {
    }

    /**
     * The stack, then the peer on its own (so that its start-up is its own too), then 5 s of idle before each
     * process's idle RSS is taken.
     */
    private static BenchStack startAndSettle(Path dir, Running running, Path keycloakHome, GuestDatabase keycloakDb)
            throws InterruptedException {
        OUT.println("[bench] starting PostgreSQL (TLS), Redis and the services one at a time ...");
        BenchStack stack = BenchStack.start(dir.resolve("logs"), OUT, running.stack::set,
                keycloakDb == null ? List.of() : List.of(keycloakDb));
        if (keycloakHome != null) {
            Path log = dir.resolve("logs/keycloak.log");
            OUT.printf("[bench] starting Keycloak (kc.sh start --optimized, --cache=local, database %s over verified TLS) ...%n",
                    keycloakDb.name());
            Keycloak keycloak = Keycloak.start(keycloakHome, keycloakDb, stack.postgresPort(), stack.tls(), log, running.keycloak::set);
            OUT.printf("[bench] Keycloak ready on %s in %d ms (log: %s)%n", keycloak.url(), keycloak.startupMs(), log);
        }
        OUT.println("[bench] idle 5 s, then RSS of each " + (keycloakHome == null ? "service" : "service and of Keycloak") + " ...");
        Thread.sleep(5_000);
        stack.services().forEach(s -> s.recordIdle(ProcessMemory.rssMiB(s.pid())));
        if (running.keycloak.get() != null) {
            running.keycloak.get().recordIdle(ProcessMemory.rssMiB(running.keycloak.get().pid()));
        }
        return stack;
    }

    private static List<SuiteClient.User> registerUsers(BenchStack stack, BenchSettings settings) {
        List<SuiteClient.User> users = SuiteClient.users(Math.max(USERS, settings.readConcurrency()));
        OUT.printf("[bench] registering %d users (a bcrypt hash each) ...%n", users.size());
        new SuiteClient(stack.url(BenchStack.AUTH), stack.caFile()).register(users);
        return users;
    }

    /**
     * The suite's scenarios, each peer scenario right after the suite's one it is compared with, so that a change in
     * what else the machine does moves both alike.
     */
    private static Measured measure(BenchStack stack, Keycloak keycloak, KeycloakAdmin admin, BenchSettings settings,
            List<SuiteClient.User> users, int cost, Path dir) throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        List<ScenarioRow> rows = new ArrayList<>();
        List<ScenarioRow> peerRows = new ArrayList<>();
        try (LoadGenerator load = new LoadGenerator(settings.eventLoops())) {
            Scenarios scenarios = new Scenarios(stack, settings, load, users, OUT);
            KeycloakScenarios peer = keycloak == null ? null : new KeycloakScenarios(keycloak, admin, settings, load, users, OUT);
            scenarios.warmUpAllPaths();
            if (peer != null) {
                peer.warmUpAllPaths(stack.caFile());
            }
            // The limit is measured right before and right after the login rows and averaged, so a change in
            // what else the machine does during them moves the limit and the logins alike.
            HashLimit.Result before = hashLimit(() -> HashLimit.bcrypt(cost, cores, settings.hashLimit()), settings);
            rows.addAll(scenarios.login());
            HashLimit.Result limit = HashLimit.Result.mean(before, hashLimit(() -> HashLimit.bcrypt(cost, cores, settings.hashLimit()), settings));
            OUT.printf("[bench]   hash limit used for the login ratios: %.2f hashes/s (mean of both)%n", limit.perSecond());
            HashLimit.Result peerLimit = null;
            if (peer != null) {
                HashLimit.Argon2Settings argon2 = admin.hashSettings(users.get(0));
                HashLimit.Result peerBefore = hashLimit(() -> HashLimit.argon2(argon2, cores, settings.hashLimit()), settings);
                peerRows.add(peer.login(BenchSettings.PEER_LOGIN_CONCURRENCY));
                peerLimit = HashLimit.Result.mean(peerBefore, hashLimit(() -> HashLimit.argon2(argon2, cores, settings.hashLimit()), settings));
                OUT.printf("[bench]   Keycloak's hash limit used for its login ratio: %.2f hashes/s (mean of both)%n", peerLimit.perSecond());
            }
            rows.add(scenarios.refresh());
            if (peer != null) {
                peerRows.add(peer.refresh(false));
                peerRows.add(peer.refresh(true));
            }
            rows.add(scenarios.directRead());
            if (peer != null) {
                peerRows.add(peer.userinfo());
                peerRows.add(peer.userinfoHttps(stack.caFile()));
            }
            rows.add(scenarios.revocationCheck());
            rows.add(scenarios.gatewayRead());
            rows.add(scenarios.gatewayReadHttp());
            rows.add(scenarios.floodRead());
            // The JFR hint (about 15 s) is make bench's, like the hasher comparison: it compares nothing with the peer.
            List<JfrHotFrames.Profile> profile = peer == null ? profile(stack, scenarios, settings, dir) : List.of();
            return new Measured(rows, limit, profile, peerRows, peerLimit);
        }
    }

    private static List<BcryptImplementations.Result> compareHashers(BenchSettings settings, int cost) {
        OUT.printf("[bench] bcrypt implementations: %d rounds of one hash each, interleaved, at cost %d on one thread ...%n",
                settings.hasherHashes(), cost);
        return BcryptImplementations.compare(BcryptImplementations.all(), cost, settings.hasherHashes(),
                line -> OUT.println("[bench]   " + line));
    }

    private static List<BenchResults.ServiceFigures> serviceFigures(BenchStack stack) {
        return stack.services().stream()
                .map(s -> new BenchResults.ServiceFigures(s.name(), s.startupMs(), s.rssIdleMiB(), s.rssAfterMiB(),
                        !s.name().equals(BenchStack.USER_NO_REVOCATION)))
                .toList();
    }

    /** The table on the console, the same figures in results.json. */
    private static void report(BenchResults results, Path dir, long started) throws IOException {
        OUT.print(ResultsTable.render(results));
        Path json = dir.resolve("results.json");
        ResultsJson.write(results, json);
        OUT.printf("%n[bench] done in %d s; results in %s, service logs in %s%n", (System.nanoTime() - started) / 1_000_000_000,
                json, dir.resolve("logs"));
    }

    /**
     * One extra gateway_read under JFR, on the gateway and the user service it calls. The recording starts after
     * a 2 s warm-up, so that the new connections' TLS handshakes do not crowd the profile.
     */
    private static List<JfrHotFrames.Profile> profile(BenchStack stack, Scenarios scenarios, BenchSettings settings, Path dir) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(BenchStack.GATEWAY, stack.service(BenchStack.GATEWAY).pid());
        pids.put(BenchStack.USER, stack.service(BenchStack.USER).pid());
        OUT.printf("[bench] profile: gateway_read c=%d, warm-up 2 s, then %s under JFR on %s ...%n", settings.readConcurrency(),
                BenchSettings.seconds(settings.profile()), pids.keySet());
        Duration warmup = Duration.ofSeconds(2);
        try {
            CompletableFuture<LoadResult> load = scenarios.gatewayRead(warmup, settings.profile());
            Thread.sleep(warmup.toMillis());
            JfrHotFrames.start(pids.values());
            load.join();
            return JfrHotFrames.stop(pids, dir.resolve("jfr"), 10);
        } catch (Exception e) {
            OUT.println("[bench]   no profile: " + e.getMessage());
            return List.of();
        }
    }

    private interface LimitMeasurement {
        HashLimit.Result measure() throws InterruptedException;
    }

    private static HashLimit.Result hashLimit(LimitMeasurement measurement, BenchSettings settings) throws InterruptedException {
        OUT.printf("[bench] hash limit: every core for %s ...%n", BenchSettings.seconds(settings.hashLimit()));
        HashLimit.Result limit = measurement.measure();
        OUT.printf("[bench]   %s: %.2f hashes/s%n", limit.describe(), limit.perSecond());
        return limit;
    }

    private static Map<String, Object> settingsMap(BenchSettings settings, int cost) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("jit_warmup_s", settings.jitWarmup().toMillis() / 1000.0); // the least; on until the compilers are quiet
        map.put("warmup_s", settings.warmup().toMillis() / 1000.0);
        map.put("measure_s", settings.measure().toMillis() / 1000.0);
        map.put("bcrypt_cost", cost);
        map.put("load_generator", "Vert.x closed loop, HTTP/1.1 keep-alive, " + settings.eventLoops() + " event loops, same machine");
        map.put("quick", settings.quick());
        return map;
    }

    /**
     * The peer first (it is a client of the stack's PostgreSQL), then the stack; each even if the other fails, each
     * with the time it took to stop (a part of the bench's duration that measures nothing).
     */
    private static void stop(Running running) {
        Keycloak keycloak = running.keycloak.getAndSet(null);
        try {
            if (keycloak != null) {
                timed("Keycloak", keycloak::close);
            }
        } finally {
            BenchStack stack = running.stack.getAndSet(null);
            if (stack != null) {
                timed("the services, PostgreSQL and Redis", stack::close);
            }
        }
    }

    private static void timed(String what, Runnable stopping) {
        long started = System.nanoTime();
        stopping.run();
        OUT.printf("[bench]   %s stopped in %d ms%n", what, (System.nanoTime() - started) / 1_000_000);
    }
}
