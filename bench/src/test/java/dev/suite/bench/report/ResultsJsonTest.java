package dev.suite.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.suite.bench.hashing.HashLimit;
import dev.suite.bench.load.LoadResult;
import dev.suite.bench.scenario.Scenarios;

class ResultsJsonTest {

    private static ScenarioRow row(String name, int concurrency, double rps, double p99) {
        return ScenarioRow.of(name, new LoadResult(concurrency, Math.round(rps * 10), 0, 10, p99 / 2, p99, List.of()));
    }

    private static BenchResults results() {
        List<ScenarioRow> rows = Targets.apply(List.of(
                row(Scenarios.LOGIN, 8, 7.0, 1200),
                row(Scenarios.DIRECT_READ, 32, 6000, 10),
                row(Scenarios.REVOCATION_CHECK, 32, 6500, 9),
                row(Scenarios.GATEWAY_READ, 32, 3000, 20),
                row(Scenarios.FLOOD_READ, 32, 2500, 50)), 8.0);
        return new BenchResults(Map.of("cores", 2), Map.of(), rows,
                List.of(new BenchResults.ServiceFigures("gateway", 1500, 120, 150, true),
                        new BenchResults.ServiceFigures("user-service-norevocation", 1500, 100, 100, false)),
                new HashLimit.Result(12, 2, 5, 40), List.of(), List.of());
    }

    @Test
    void scenariosHaveExactlyTheIssuesFieldsAndTheRatiosOnTheRightRows() {
        JsonNode json = ResultsJson.of(results());

        JsonNode scenarios = json.get("scenarios");
        assertThat(scenarios).hasSize(5);
        scenarios.forEach(s -> assertThat(s.fieldNames()).toIterable()
                .containsExactly("name", "concurrency", "rps", "p50_ms", "p99_ms", "errors", "ratio"));
        assertThat(scenarios.get(0).get("ratio").asDouble()).isEqualTo(0.875); // 7 logins/s / 8 hashes/s
        assertThat(scenarios.get(1).get("ratio").isNull()).isTrue();
        assertThat(scenarios.get(2).get("ratio").asDouble()).isEqualTo(0.923); // with / without = 6000 / 6500
        assertThat(scenarios.get(3).get("ratio").asDouble()).isEqualTo(0.5); // gateway / direct
        assertThat(scenarios.get(4).get("ratio").asDouble()).isEqualTo(2.5); // p99 with flood / without
        assertThat(json.get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(json.get("hash_limit").get("hashes_per_s").asDouble()).isEqualTo(8.0);
        assertThat(json.get("services_total").get("rss_idle_mib").asDouble()).isEqualTo(120.0); // bench-only instance left out
    }

    @Test
    void tableMarksTargetsAndAlignsColumns() {
        String table = ResultsTable.render(results());

        assertThat(table).contains("ratio >= 0.85  MET", "ratio >= 0.6, p99 <= 25 ms  MISSED", "ratio <= 3  MET");
        List<String> lines = table.lines().filter(l -> l.startsWith("login") || l.startsWith("direct_read")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).indexOf("0.875")).isPositive();
    }
}
