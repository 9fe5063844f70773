package dev.suite.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.suite.bench.scenario.Scenarios;

/**
 * Issue 8's ratios and targets, in one place. Which row holds which ratio:
 * login = logins/s / hash limit; gateway_read = gateway rps / direct_read rps; revocation_check = direct_read rps
 * (check on) / revocation_check rps (check off), i.e. with/without; flood_read = its p99 / gateway_read's p99.
 * refresh and direct_read have no ratio (null).
 */
public final class Targets {

    public static final double KEYCLOAK_IDLE_MIB = 436;
    public static final double KEYCLOAK_AFTER_LOAD_MIB = 600;
    public static final long STARTUP_MS = 3_000;
    public static final double RSS_IDLE_MIB = 200;

    private Targets() {
    }

    public static List<ScenarioRow> apply(List<ScenarioRow> rows, double hashesPerSecond) {
        Optional<ScenarioRow> direct = find(rows, Scenarios.DIRECT_READ);
        Optional<ScenarioRow> gateway = find(rows, Scenarios.GATEWAY_READ);
        List<ScenarioRow> result = new ArrayList<>();
        for (ScenarioRow row : rows) {
            result.add(switch (row.name()) {
                case Scenarios.LOGIN -> {
                    ScenarioRow r = row.withRatio(ratio(row.rps(), hashesPerSecond));
                    yield row.concurrency() == 8 ? r.withTarget("ratio >= 0.85", atLeast(r.ratio(), 0.85)) : r;
                }
                case Scenarios.REFRESH -> row.withTarget("rps >= 2000", row.rps() >= 2000);
                case Scenarios.DIRECT_READ -> row.withTarget("rps >= 6000", row.rps() >= 6000);
                case Scenarios.GATEWAY_READ -> {
                    ScenarioRow r = row.withRatio(direct.map(d -> ratio(row.rps(), d.rps())).orElse(null));
                    yield r.withTarget("ratio >= 0.6, p99 <= 25 ms", atLeast(r.ratio(), 0.6) && row.p99Ms() <= 25);
                }
                case Scenarios.REVOCATION_CHECK -> {
                    ScenarioRow r = row.withRatio(direct.map(d -> ratio(d.rps(), row.rps())).orElse(null));
                    yield r.withTarget("ratio >= 0.85", atLeast(r.ratio(), 0.85));
                }
                case Scenarios.FLOOD_READ -> {
                    ScenarioRow r = row.withRatio(gateway.map(g -> ratio(row.p99Ms(), g.p99Ms())).orElse(null));
                    yield r.withTarget("ratio <= 3", r.ratio() != null && r.ratio() <= 3);
                }
                default -> row;
            });
        }
        return result;
    }

    private static Optional<ScenarioRow> find(List<ScenarioRow> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    private static Double ratio(double a, double b) {
        return b > 0 ? a / b : null;
    }

    private static boolean atLeast(Double ratio, double floor) {
        return ratio != null && ratio >= floor;
    }
}
