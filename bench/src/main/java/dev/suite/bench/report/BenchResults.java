package dev.suite.bench.report;

import java.util.List;
import java.util.Map;

import dev.suite.bench.hashing.BcryptImplementations;
import dev.suite.bench.hashing.HashLimit;
import dev.suite.bench.profile.JfrHotFrames;

/** Everything one run measured: what the table prints and results.json holds. */
public record BenchResults(Map<String, Object> machine, Map<String, Object> settings, List<ScenarioRow> scenarios,
        List<ServiceFigures> services, HashLimit.Result hashLimit, List<BcryptImplementations.Result> hashers,
        List<JfrHotFrames.Profile> profile) {

    /**
     * One service instance. {@code inTotal}: the three services of the suite count towards the Keycloak
     * comparison; the bench-only second user service does not.
     */
    public record ServiceFigures(String name, long startupMs, double rssIdleMiB, double rssAfterMiB, boolean inTotal) {
    }

    public double totalIdleMiB() {
        return services.stream().filter(ServiceFigures::inTotal).mapToDouble(ServiceFigures::rssIdleMiB).sum();
    }

    public double totalAfterMiB() {
        return services.stream().filter(ServiceFigures::inTotal).mapToDouble(ServiceFigures::rssAfterMiB).sum();
    }
}
