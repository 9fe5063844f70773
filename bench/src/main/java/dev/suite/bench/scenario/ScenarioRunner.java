package dev.suite.bench.scenario;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.IntFunction;

import dev.suite.bench.BenchSettings;
import dev.suite.bench.load.LoadGenerator;
import dev.suite.bench.load.LoadResult;
import dev.suite.bench.load.Session;
import dev.suite.bench.report.ScenarioRow;

/** One measured scenario, the same way for the suite and for its peer: the settings' windows, a progress line, a row. */
public record ScenarioRunner(BenchSettings settings, LoadGenerator load, PrintStream out) {

    /** {@code caFile} non-null: HTTPS trusting that CA. */
    public ScenarioRow run(String name, int concurrency, String url, Path caFile, IntFunction<Session> sessions) {
        out.printf("[bench] %s c=%d: %s ...%n", name, concurrency, settings.window());
        return report(name, load.run(url, caFile, concurrency, sessions, settings.warmup(), settings.measure()));
    }

    public ScenarioRow report(String name, LoadResult result) {
        out.printf("[bench]   %s c=%d: %.1f req/s, p50 %.2f ms, p99 %.2f ms, %d errors%n", name, result.concurrency(),
                result.rps(), result.p50Ms(), result.p99Ms(), result.errors());
        result.sampleErrors().forEach(e -> out.println("[bench]     error kind (counts include warm-up): " + e));
        return ScenarioRow.of(name, result);
    }
}
