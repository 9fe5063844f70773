package dev.suite.bench.scenario;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.suite.bench.BenchSettings;
import dev.suite.bench.load.LoadResult;
import dev.suite.bench.machine.JitActivity;

/**
 * The JIT warm-up of a system under test (the suite's JVMs, or Keycloak's), unreported: every measured path in turn, alone
 * and at the concurrency it is measured at, in rounds, until no JVM's compiler threads used more than
 * {@link #QUIET_SHARE} of a core during the last round, and for at least the configured minimum. A fixed 40 s was not
 * enough for four JVMs on two cores: the first measured reads then paid for the compilers (43-53% of the service's CPU),
 * while Keycloak, one JVM, warmed up alone for the same time. Every path at once at low concurrency, as the warm-up first
 * ran, reached the 3-minute cap in every run with the paths still at a tenth of their measured rates: a method reaches C2
 * after some ten thousand calls, and a path that has the machine to itself makes them several times sooner.
 */
public final class JitWarmUp {

    static final double QUIET_SHARE = 0.05;
    static final Duration ROUND = Duration.ofSeconds(15);
    /**
     * Where the warm-up ends even if a compiler is still busy. With each path alone at its measured concurrency both
     * systems' paths reach their plateau within about 150 s here (the suite's reads at 90% of their 185 s rates, its
     * refresh and gateway at their 185 s rates, Keycloak's from 124 s on); the auth service's compilers stay at 10-13% of
     * a core long after that, so the cap, not the quiet, ends the suite's warm-up on this machine.
     */
    static final Duration MAX = Duration.ofSeconds(150);

    private JitWarmUp() {
    }

    /**
     * {@code paths} start each path, under its name, for the window they are given (a round shared equally, in order);
     * {@code pids} names the JVMs whose compilers must be quiet. A quick run (BENCH_QUICK) does one round of the
     * minimum. Each round's line gives the compilers' share and each path's rate.
     */
    public static void run(String who, Map<String, Long> pids, BenchSettings settings,
            Map<String, Function<Duration, CompletableFuture<LoadResult>>> paths, PrintStream out) {
        Duration round = settings.quick() || settings.jitWarmup().compareTo(ROUND) < 0 ? settings.jitWarmup() : ROUND;
        Duration slot = round.dividedBy(paths.size());
        Duration max = settings.quick() ? settings.jitWarmup() : MAX;
        out.printf("[bench] %s JIT warm-up: each path alone at its measured concurrency for %s, in rounds of %s, until each JVM's "
                + "compilers use under %.0f%% of a core (at least %s, at most %s; not reported) ...%n", who, BenchSettings.seconds(slot),
                BenchSettings.seconds(round), QUIET_SHARE * 100, BenchSettings.seconds(settings.jitWarmup()), BenchSettings.seconds(max));
        long started = System.nanoTime();
        Map<String, Double> before = compilerSeconds(pids);
        long roundStarted = System.nanoTime();
        while (true) {
            Map<String, LoadResult> rates = new LinkedHashMap<>();
            paths.forEach((path, load) -> rates.put(path, load.apply(slot).join()));
            Map<String, Double> after = compilerSeconds(pids);
            double seconds = (System.nanoTime() - roundStarted) / 1e9;
            roundStarted = System.nanoTime();
            Map<String, Double> share = new LinkedHashMap<>();
            after.forEach((name, used) -> share.put(name, (used - before.get(name)) / seconds));
            before.putAll(after);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            boolean quiet = share.values().stream().allMatch(s -> s <= QUIET_SHARE);
            out.printf("[bench]   %s: compilers %s; per second %s%n", BenchSettings.seconds(Duration.ofSeconds(elapsed.toSeconds())),
                    share.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), e.getValue() * 100))
                            .collect(Collectors.joining(", ")),
                    rates.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue().rps()))
                            .collect(Collectors.joining(", ")));
            if (elapsed.compareTo(settings.jitWarmup()) >= 0 && (quiet || elapsed.compareTo(max) >= 0)) {
                if (!quiet) {
                    out.printf("[bench]   %s: the compilers were still busy after %s; measuring anyway%n", who, BenchSettings.seconds(max));
                }
                return;
            }
        }
    }

    private static Map<String, Double> compilerSeconds(Map<String, Long> pids) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        pids.forEach((name, pid) -> seconds.put(name, JitActivity.compilerSeconds(pid)));
        return seconds;
    }
}
