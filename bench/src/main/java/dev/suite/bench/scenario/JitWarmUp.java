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
 * The JIT warm-up of a system under test (the suite's JVMs, or Keycloak's), unreported: every measured path at once, in
 * rounds, until no JVM's compiler threads used more than {@link #QUIET_SHARE} of a core during the last round, and for at
 * least the configured minimum. A fixed 40 s was not enough for four JVMs on two cores: the first measured reads then
 * paid for the compilers (43-53% of the service's CPU), while Keycloak, one JVM, warmed up alone for the same time.
 */
public final class JitWarmUp {

    static final double QUIET_SHARE = 0.05;
    static final Duration ROUND = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(3);

    private JitWarmUp() {
    }

    /**
     * {@code paths} starts every path, each under its name, for the window it is given; {@code pids} names the JVMs
     * whose compilers must be quiet. A quick run (BENCH_QUICK) does one round of the minimum. Each round's line gives
     * the compilers' share and each path's rate: a warm-up that ends at its cap with the rates still climbing measured
     * JVMs that were not yet warm.
     */
    public static void run(String who, Map<String, Long> pids, BenchSettings settings,
            Function<Duration, Map<String, CompletableFuture<LoadResult>>> paths, PrintStream out) {
        Duration round = settings.quick() || settings.jitWarmup().compareTo(ROUND) < 0 ? settings.jitWarmup() : ROUND;
        Duration max = settings.quick() ? settings.jitWarmup() : MAX;
        out.printf("[bench] %s JIT warm-up: every path at once, in rounds of %s, until each JVM's compilers use under %.0f%% of a "
                + "core (at least %s, at most %s; not reported) ...%n", who, BenchSettings.seconds(round), QUIET_SHARE * 100,
                BenchSettings.seconds(settings.jitWarmup()), BenchSettings.seconds(max));
        long started = System.nanoTime();
        Map<String, Double> before = compilerSeconds(pids);
        while (true) {
            Map<String, LoadResult> rates = new LinkedHashMap<>();
            paths.apply(round).forEach((path, result) -> rates.put(path, result.join()));
            Map<String, Double> after = compilerSeconds(pids);
            Map<String, Double> share = new LinkedHashMap<>();
            after.forEach((name, seconds) -> share.put(name, (seconds - before.get(name)) / (round.toMillis() / 1000.0)));
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
