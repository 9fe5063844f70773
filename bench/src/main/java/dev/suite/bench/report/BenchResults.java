package dev.suite.bench.report;

import java.util.List;
import java.util.Map;

import dev.suite.bench.hashing.BcryptImplementations;
import dev.suite.bench.hashing.HashLimit;
import dev.suite.bench.profile.JfrHotFrames;

/**
 * Everything one run measured: what the table prints and results.json holds. {@code peer} is null when no peer ran
 * (make bench without make bench-peers); {@code peerTargets} are then all "not measured".
 */
public record BenchResults(Map<String, Object> machine, Map<String, Object> settings, List<ScenarioRow> scenarios,
        List<ServiceFigures> services, HashLimit.Result hashLimit, List<BcryptImplementations.Result> hashers,
        List<JfrHotFrames.Profile> profile, PeerFigures peer, List<Targets.Check> peerTargets) {

    /**
     * One service instance. {@code inTotal}: the three services of the suite count towards the Keycloak
     * comparison; the bench-only second user service does not.
     */
    public record ServiceFigures(String name, long startupMs, double rssIdleMiB, double rssAfterMiB, boolean inTotal) {
    }

    /** The peer (Keycloak) measured in the same run: its own rows, start-up, memory and hash limit. */
    public record PeerFigures(String name, String version, long startupMs, double rssIdleMiB, double rssAfterMiB,
            HashLimit.Result hashLimit, List<ScenarioRow> scenarios, Map<String, Object> settings) {
    }

    public BenchResults withPeerTargets(List<Targets.Check> checks) {
        return new BenchResults(machine, settings, scenarios, services, hashLimit, hashers, profile, peer, List.copyOf(checks));
    }

    public double totalIdleMiB() {
        return services.stream().filter(ServiceFigures::inTotal).mapToDouble(ServiceFigures::rssIdleMiB).sum();
    }

    public double totalAfterMiB() {
        return services.stream().filter(ServiceFigures::inTotal).mapToDouble(ServiceFigures::rssAfterMiB).sum();
    }
}
