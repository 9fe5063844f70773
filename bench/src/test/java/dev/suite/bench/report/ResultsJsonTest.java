package dev.suite.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.suite.bench.hashing.HashLimit;
import dev.suite.bench.load.LoadResult;
import dev.suite.bench.peer.KeycloakScenarios;
import dev.suite.bench.scenario.Scenarios;

class ResultsJsonTest {

    private static ScenarioRow row(String name, int concurrency, double rps, double p99) {
        return ScenarioRow.of(name, new LoadResult(concurrency, Math.round(rps * 10), 0, 10, p99 / 2, p99, List.of()));
    }

    private static List<ScenarioRow> suiteRows() {
        return Targets.apply(List.of(
                row(Scenarios.LOGIN, 8, 7.0, 1200),
                row(Scenarios.DIRECT_READ, 32, 6000, 10),
                row(Scenarios.REVOCATION_CHECK, 32, 6500, 9),
                row(Scenarios.GATEWAY_READ, 32, 3000, 20),
                row(Scenarios.FLOOD_READ, 32, 2500, 50)), 8.0);
    }

    private static final List<BenchResults.ServiceFigures> SERVICES = List.of(
            new BenchResults.ServiceFigures("gateway", 1500, 120, 150, true),
            new BenchResults.ServiceFigures("user-service-norevocation", 1500, 100, 100, false));
    private static final HashLimit.Result BCRYPT = new HashLimit.Result(HashLimit.BCRYPT, Map.of("cost", 12), 2, 5, 40);
    private static final HashLimit.Result ARGON2 = new HashLimit.Result(HashLimit.ARGON2,
            new HashLimit.Argon2Settings("id", "1.3", 7168, 5, 1, 32).parameters(), 2, 10, 400);

    /** make bench: no peer. */
    private static BenchResults results() {
        List<ScenarioRow> rows = suiteRows();
        BenchResults results = new BenchResults(Map.of("cores", 2), Map.of(), rows, SERVICES, BCRYPT, List.of(), List.of(), null, List.of());
        return results.withPeerTargets(Targets.againstPeer(rows, results.totalIdleMiB(), results.totalAfterMiB(), null));
    }

    /** make bench-peers: Keycloak's rows beside the suite's (its login at 36/s against 40 argon2 hashes/s). */
    private static BenchResults withPeer() {
        List<ScenarioRow> peerRows = Targets.applyPeer(List.of(
                row(KeycloakScenarios.LOGIN, 8, 36, 400),
                row(KeycloakScenarios.REFRESH, 8, 1500, 12),
                row(KeycloakScenarios.REFRESH_ROTATING, 8, 700, 20),
                row(KeycloakScenarios.USERINFO, 32, 10000, 8),
                row(KeycloakScenarios.USERINFO_HTTPS, 32, 8000, 9)), ARGON2.perSecond());
        List<ScenarioRow> rows = Targets.versus(suiteRows(), peerRows);
        BenchResults.PeerFigures peer = new BenchResults.PeerFigures("Keycloak", "26.7.3", 9000, 100, 140, ARGON2, peerRows, Map.of());
        BenchResults results = new BenchResults(Map.of("cores", 2), Map.of(), rows, SERVICES, BCRYPT, List.of(), List.of(), peer, List.of());
        return results.withPeerTargets(Targets.againstPeer(rows, results.totalIdleMiB(), results.totalAfterMiB(), peer));
    }

    @Test
    void scenariosHaveExactlyTheIssuesFieldsAndTheRatiosOnTheRightRows() {
        JsonNode json = ResultsJson.of(withPeer());

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
        assertThat(json.get("hash_limit").get("cost").asInt()).isEqualTo(12);
        assertThat(json.get("services_total").get("rss_idle_mib").asDouble()).isEqualTo(120.0); // bench-only instance left out
        assertThat(json.get("services_total").get("keycloak_idle_mib").asDouble()).isEqualTo(100.0);
    }

    @Test
    void thePeersSectionHoldsKeycloaksRowsItsHashLimitAndTheComparisons() {
        JsonNode keycloak = ResultsJson.of(withPeer()).get("peers").get("keycloak");

        assertThat(keycloak.get("version").asText()).isEqualTo("26.7.3");
        assertThat(keycloak.get("startup_ms").asLong()).isEqualTo(9000);
        assertThat(keycloak.get("hash_limit").get("memory_kib").asInt()).isEqualTo(7168);
        assertThat(keycloak.get("hash_limit").get("hashes_per_s").asDouble()).isEqualTo(40.0);
        JsonNode login = keycloak.get("scenarios").get(0);
        assertThat(login.get("name").asText()).isEqualTo(KeycloakScenarios.LOGIN);
        assertThat(login.get("ratio").asDouble()).isEqualTo(0.9); // 36 logins/s / 40 argon2 hashes/s
        JsonNode versus = keycloak.get("vs_keycloak");
        assertThat(versus.findValuesAsText("name")).containsExactly(Scenarios.LOGIN, Scenarios.DIRECT_READ,
                Scenarios.REVOCATION_CHECK, Scenarios.GATEWAY_READ);
        assertThat(versus.get(0).get("vs_keycloak").asDouble()).isEqualTo(0.972); // 0.875 / 0.9
        assertThat(versus.get(1).get("vs_keycloak").asDouble()).isEqualTo(0.75); // 6000 / 8000 userinfo over HTTPS, like for like
    }

    @Test
    void everyTargetOfIssue19IsARowMetMissedOrNotMeasured() {
        List<Targets.Check> checks = withPeer().peerTargets();

        assertThat(checks).hasSize(11);
        assertThat(checks).filteredOn(c -> c.name().startsWith("verified read straight")).singleElement()
                .satisfies(c -> assertThat(c.met()).isFalse())
                .satisfies(c -> assertThat(c.figures()).contains("keycloak_userinfo_https 8000.0/s").contains("0.75x"));
        assertThat(checks).filteredOn(c -> c.name().startsWith("the same read")).singleElement()
                .satisfies(c -> assertThat(c.figures()).contains("keycloak_userinfo 10000.0/s").contains("0.60x"));
        assertThat(checks).filteredOn(c -> c.name().startsWith("verified read through the gateway, HTTPS")).singleElement()
                .satisfies(c -> assertThat(c.met()).isFalse()).satisfies(c -> assertThat(c.figures()).contains("0.38x")); // 3000 / 8000
        assertThat(checks).filteredOn(c -> c.name().startsWith("verified read through the gateway, plain HTTP")).singleElement()
                .satisfies(c -> assertThat(c.met()).isNull()); // no gateway_read_http row here
        assertThat(checks).filteredOn(c -> c.name().contains("idle")).singleElement()
                .satisfies(c -> assertThat(c.met()).isFalse()); // 120 MiB > 100 MiB
        assertThat(checks).filteredOn(c -> c.name().contains("after the run")).singleElement()
                .satisfies(c -> assertThat(c.met()).isFalse()); // 150 MiB > 140 MiB
        assertThat(checks).filteredOn(c -> c.name().startsWith("revocation")).singleElement()
                .satisfies(c -> assertThat(c.met()).isTrue()); // 0.923 >= 0.9
        assertThat(checks).filteredOn(c -> c.name().startsWith("login flood")).singleElement()
                .satisfies(c -> assertThat(c.met()).isFalse()); // 2.5 > 2
        assertThat(checks).filteredOn(c -> c.name().startsWith("login c=8")).singleElement()
                .satisfies(c -> assertThat(c.met()).isFalse()); // 0.875 < 0.9
    }

    @Test
    void withoutAPeerTheTargetsAgainstItAreNotMeasuredAndNoPeerFiguresAreInvented() {
        BenchResults results = results();
        JsonNode json = ResultsJson.of(results);

        assertThat(json.get("peers").has("keycloak")).isFalse();
        assertThat(json.get("services_total").get("keycloak_idle_mib").isNull()).isTrue();
        assertThat(results.peerTargets()).filteredOn(c -> c.name().contains("Keycloak")).allSatisfy(c -> {
            assertThat(c.met()).isNull();
            assertThat(c.figures()).startsWith("not measured");
        });
        assertThat(json.get("peers").get("targets").get(6).get("met").asBoolean()).isTrue(); // revocation: needs no peer
        assertThat(ResultsTable.render(results)).contains("NOT MEASURED").doesNotContain("vs_keycloak");
    }

    @Test
    void tableMarksTargetsAndAlignsColumns() {
        String table = ResultsTable.render(withPeer());

        assertThat(table).contains("ratio >= 0.9  MISSED", "ratio >= 0.6, p99 <= 25 ms  MISSED", "ratio <= 2  MISSED",
                "keycloak_refresh_rotating", "hash limit: argon2 type=id, version=1.3, memory_kib=7168, iterations=5");
        List<String> lines = table.lines().filter(l -> l.matches("^(login|direct_read)\\s+\\d.*")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).indexOf("0.875")).isPositive();
        assertThat(lines.get(1)).contains("0.75x"); // against userinfo over HTTPS
        assertThat(table.lines().filter(l -> l.startsWith("rotating refresh vs Keycloak with rotation on")))
                .singleElement().satisfies(l -> assertThat(l).contains("not measured", "NOT MEASURED")); // no suite refresh row here
    }
}
