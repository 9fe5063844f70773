package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * deploy/k8s/monitoring (issue 18, item 9): Prometheus scrapes every pod of the three services on the port the
 * Deployments name "management", where /q/metrics is, and every alert says how bad it is and what to do. That the
 * metrics the alerts watch exist is checked against the running services in %prod (system-tests ProdRehearsalTest).
 */
class MonitoringTest {

    private final Rendered monitoring = Rendered.kustomization("monitoring");

    @Test
    void thePodMonitorScrapesEveryServicesManagementPort() {
        JsonNode endpoints = monitoring.one("PodMonitor", "suite-services").path("spec").path("podMetricsEndpoints");
        assertThat(Rendered.stream(endpoints).map(e -> e.path("port").asText() + " " + e.path("path").asText()))
                .containsExactly("management /q/metrics");
        JsonNode selector = monitoring.one("PodMonitor", "suite-services").path("spec").path("selector").path("matchExpressions").get(0);
        assertThat(selector.path("key").asText()).isEqualTo("app.kubernetes.io/name");
        List<String> selected = Rendered.stream(selector.path("values")).map(JsonNode::asText).toList();
        assertThat(selected).containsExactlyInAnyOrderElementsOf(Rendered.SERVICES);
        for (String overlay : Rendered.OVERLAYS) {
            for (String service : Rendered.SERVICES) {
                Rendered.Pod pod = Rendered.overlay(overlay).pod("Deployment", service);
                assertThat(pod.label("app.kubernetes.io/name")).isEqualTo(service);
                JsonNode port = pod.containers().flatMap(c -> Rendered.stream(c.path("ports")))
                        .filter(p -> p.path("name").asText().equals("management")).findFirst().orElseThrow();
                assertThat(port.path("containerPort").asInt()).as(overlay + " " + service)
                        .isEqualTo(Integer.parseInt(Repo.property(service, "prod", "quarkus.management.port")));
            }
        }
    }

    @Test
    void everyAlertSaysHowBadItIsAndWhatToDo() {
        List<JsonNode> rules = Rendered.stream(monitoring.one("PrometheusRule", "suite-alerts").path("spec").path("groups"))
                .flatMap(g -> Rendered.stream(g.path("rules"))).toList();
        assertThat(rules).extracting(r -> r.path("alert").asText()).contains("SuiteServiceDown", "SuiteServerErrors",
                "SuiteVaultCredentialsFailing", "SuiteLoginGuessingSpike", "SuiteDatabaseConnectionsSaturated");
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.path("expr").asText()).as(rule.path("alert").asText()).isNotBlank();
            assertThat(rule.path("labels").path("severity").asText()).as(rule.path("alert").asText()).isIn("page", "ticket");
            assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
            assertThat(rule.path("annotations").path("runbook").asText()).isNotBlank();
        });
        assertThat(monitoring.objects).allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("suite"));
    }
}
