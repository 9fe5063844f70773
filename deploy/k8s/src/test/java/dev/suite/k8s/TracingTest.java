package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * deploy/k8s/tracing (issue 18, item 9): the one opening a collector needs, and no more: egress from the three
 * services' pods to port 4317 in the monitoring namespace only. Without it (the base) nothing may leave for a collector.
 */
class TracingTest {

    private final Rendered tracing = Rendered.kustomization("tracing");

    @Test
    void onlyTheThreeServicesMayReachTheCollectorsOtlpPortInTheMonitoringNamespace() {
        assertThat(tracing.objects).extracting(o -> o.path("kind").asText()).containsExactly("NetworkPolicy");
        JsonNode spec = tracing.one("NetworkPolicy", "services-to-trace-collector").path("spec");
        assertThat(tracing.objects.get(0).path("metadata").path("namespace").asText()).isEqualTo("suite");
        assertThat(Rendered.stream(spec.path("policyTypes")).map(JsonNode::asText)).containsExactly("Egress");
        JsonNode selector = spec.path("podSelector").path("matchExpressions").get(0);
        assertThat(selector.path("key").asText()).isEqualTo("app.kubernetes.io/name");
        assertThat(selector.path("operator").asText()).isEqualTo("In");
        assertThat(Rendered.stream(selector.path("values")).map(JsonNode::asText)).containsExactlyInAnyOrderElementsOf(Rendered.SERVICES);
        List<JsonNode> rules = Rendered.stream(spec.path("egress")).toList();
        assertThat(rules).hasSize(1);
        List<JsonNode> peers = Rendered.stream(rules.get(0).path("to")).toList();
        assertThat(peers).hasSize(1);
        assertThat(peers.get(0).path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText())
                .isEqualTo("monitoring");
        assertThat(peers.get(0).has("ipBlock")).isFalse();
        assertThat(Rendered.stream(rules.get(0).path("ports")).map(p -> p.path("port").asInt() + "/" + p.path("protocol").asText()))
                .containsExactly("4317/TCP");
    }

    @Test
    void theBaseOpensNoEgressToACollector() {
        for (String overlay : Rendered.OVERLAYS) {
            assertThat(Rendered.overlay(overlay).objects.stream()
                    .filter(o -> o.path("kind").asText().equals("NetworkPolicy"))
                    .flatMap(o -> Rendered.stream(o.path("spec").path("egress")))
                    .flatMap(rule -> Rendered.stream(rule.path("ports")))
                    .map(port -> port.path("port").asInt()))
                    .as(overlay).doesNotContain(4317);
        }
    }
}
