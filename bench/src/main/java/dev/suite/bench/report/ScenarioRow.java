package dev.suite.bench.report;

import java.util.List;

import dev.suite.bench.load.LoadResult;

/**
 * One line of the table and one entry of results.json "scenarios". {@code ratio} is null where the issue names
 * none; {@code met} is null where there is no target for this row; {@code vsPeer} is null where no peer row compares
 * (or no peer ran).
 */
public record ScenarioRow(String name, int concurrency, double rps, double p50Ms, double p99Ms, long errors,
        Double ratio, String target, Boolean met, Double vsPeer, List<String> sampleErrors) {

    public static ScenarioRow of(String name, LoadResult result) {
        return new ScenarioRow(name, result.concurrency(), result.rps(), result.p50Ms(), result.p99Ms(), result.errors(),
                null, null, null, null, result.sampleErrors());
    }

    public ScenarioRow withRatio(Double newRatio) {
        return new ScenarioRow(name, concurrency, rps, p50Ms, p99Ms, errors, newRatio, target, met, vsPeer, sampleErrors);
    }

    public ScenarioRow withTarget(String newTarget, boolean isMet) {
        return new ScenarioRow(name, concurrency, rps, p50Ms, p99Ms, errors, ratio, newTarget, isMet, vsPeer, sampleErrors);
    }

    public ScenarioRow versus(Double newVsPeer) {
        return new ScenarioRow(name, concurrency, rps, p50Ms, p99Ms, errors, ratio, target, met, newVsPeer, sampleErrors);
    }
}
