package dev.suite.bench;

import java.io.IOException;
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
import dev.suite.bench.profile.JfrHotFrames;
import dev.suite.bench.report.BenchResults;
import dev.suite.bench.report.ResultsJson;
import dev.suite.bench.report.ResultsTable;
import dev.suite.bench.report.ScenarioRow;
import dev.suite.bench.report.Targets;
import dev.suite.bench.scenario.Scenarios;
import dev.suite.bench.scenario.SuiteClient;
import dev.suite.bench.stack.BenchStack;
import dev.suite.localstack.SuiteRoot;

/**
 * {@code make bench}: starts the real stack, measures issue 8's scenarios with a closed-loop load generator on
 * loopback, stops everything, then prints the table and writes target/bench/results.json. Ctrl-C stops
 * everything too (shutdown hook).
 */
public final class Bench {

    private static final PrintStream OUT = System.out;
    private static final int USERS = 32;

    public static void main(String[] args) {
        AtomicReference<BenchStack> running = new AtomicReference<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            interrupted.set(true);
            if (running.get() != null) {
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

    private static int run(AtomicReference<BenchStack> running) throws Exception {
        long started = System.nanoTime();
        BenchSettings settings = BenchSettings.fromEnvironment();
        Path root = SuiteRoot.find();
        Path dir = root.resolve("target/bench");
        Map<String, Object> machine = MachineInfo.now();
        int cost = ConfiguredCost.bcrypt(root);
        OUT.printf("[bench] %s; bcrypt cost %d (what the packaged auth-service is configured with); %s per scenario%s%n",
                machine, cost, settings.window(), settings.quick() ? " (BENCH_QUICK: a smoke run, figures mean little)" : "");

        BenchStack stack = startAndSettle(dir, running);
        List<SuiteClient.User> users = registerUsers(stack, settings);
        Measured measured = measure(stack, settings, users, cost, dir);
        stack.services().forEach(s -> s.recordAfter(ProcessMemory.rssMiB(s.pid())));
        List<BcryptImplementations.Result> hashers = compareHashers(settings, cost);
        List<BenchResults.ServiceFigures> services = serviceFigures(stack);
        OUT.println("[bench] stopping the services, PostgreSQL and Redis ...");
        stop(running);

        report(new BenchResults(machine, settingsMap(settings, cost), Targets.apply(measured.rows(), measured.limit().perSecond()),
                services, measured.limit(), hashers, measured.profile()), dir, started);
        return 0;
    }

    /** What the load phase measured: the scenario rows, the hash limit of the login ratios, the profile hint. */
    private record Measured(List<ScenarioRow> rows, HashLimit.Result limit, List<JfrHotFrames.Profile> profile) {
    }

    /** The stack, then 5 s of idle before each service's idle RSS is taken. */
    private static BenchStack startAndSettle(Path dir, AtomicReference<BenchStack> running) throws InterruptedException {
        OUT.println("[bench] starting PostgreSQL (TLS), Redis and the services one at a time ...");
        BenchStack stack = BenchStack.start(dir.resolve("logs"), OUT, running::set);
        OUT.println("[bench] idle 5 s, then RSS of each service ...");
        Thread.sleep(5_000);
        stack.services().forEach(s -> s.recordIdle(ProcessMemory.rssMiB(s.pid())));
        return stack;
    }

    private static List<SuiteClient.User> registerUsers(BenchStack stack, BenchSettings settings) {
        List<SuiteClient.User> users = SuiteClient.users(Math.max(USERS, settings.readConcurrency()));
        OUT.printf("[bench] registering %d users (a bcrypt hash each) ...%n", users.size());
        new SuiteClient(stack.url(BenchStack.AUTH)).register(users);
        return users;
    }

    private static Measured measure(BenchStack stack, BenchSettings settings, List<SuiteClient.User> users, int cost, Path dir)
            throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        List<ScenarioRow> rows = new ArrayList<>();
        try (LoadGenerator load = new LoadGenerator(settings.eventLoops())) {
            Scenarios scenarios = new Scenarios(stack, settings, load, users, OUT);
            scenarios.warmUpAllPaths();
            // The limit is measured right before and right after the login rows and averaged, so a change in
            // what else the machine does during them moves the limit and the logins alike.
            HashLimit.Result before = hashLimit(cost, cores, settings);
            rows.addAll(scenarios.login());
            HashLimit.Result limit = HashLimit.Result.mean(before, hashLimit(cost, cores, settings));
            OUT.printf("[bench]   hash limit used for the login ratios: %.2f hashes/s (mean of both)%n", limit.perSecond());
            rows.add(scenarios.refresh());
            rows.add(scenarios.directRead());
            rows.add(scenarios.revocationCheck());
            rows.add(scenarios.gatewayRead());
            rows.add(scenarios.floodRead());
            return new Measured(rows, limit, profile(stack, scenarios, settings, dir));
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

    private static HashLimit.Result hashLimit(int cost, int cores, BenchSettings settings) throws InterruptedException {
        OUT.printf("[bench] hash limit: bcrypt cost %d on %d threads for %s ...%n", cost, cores,
                BenchSettings.seconds(settings.hashLimit()));
        HashLimit.Result limit = HashLimit.measure(cost, cores, settings.hashLimit());
        OUT.printf("[bench]   %.2f hashes/s%n", limit.perSecond());
        return limit;
    }

    private static Map<String, Object> settingsMap(BenchSettings settings, int cost) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("jit_warmup_s", settings.jitWarmup().toMillis() / 1000.0);
        map.put("warmup_s", settings.warmup().toMillis() / 1000.0);
        map.put("measure_s", settings.measure().toMillis() / 1000.0);
        map.put("bcrypt_cost", cost);
        map.put("load_generator", "Vert.x closed loop, HTTP/1.1 keep-alive, " + settings.eventLoops() + " event loops, same machine");
        map.put("quick", settings.quick());
        return map;
    }

    private static void stop(AtomicReference<BenchStack> running) {
        BenchStack stack = running.getAndSet(null);
        if (stack != null) {
            stack.close();
        }
    }
}
