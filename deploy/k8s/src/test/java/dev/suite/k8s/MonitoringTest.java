package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * deploy/k8s/monitoring (issue 18, item 9): Prometheus scrapes every pod of the three services on the port the
 * Deployments name "management", where /q/metrics is, over TLS (issue 17, item 7), and every alert says how bad it is and what to do. That the
 * metrics the alerts watch exist is checked against the running services in %prod (system-tests ProdRehearsalTest).
 */
class MonitoringTest {

    private final Rendered monitoring = Rendered.kustomization("monitoring");

    @Test
    void aPodMonitorPerServiceScrapesItsManagementPortOverTlsCheckingTheSuiteCaAndTheName() {
        assertThat(monitoring.objects.stream().filter(o -> o.path("kind").asText().equals("PodMonitor")))
                .hasSize(Rendered.SERVICES.size());
        for (String service : Rendered.SERVICES) {
            JsonNode spec = monitoring.one("PodMonitor", "suite-services-" + service).path("spec");
            assertThat(spec.path("selector").path("matchLabels").path("app.kubernetes.io/name").asText()).isEqualTo(service);
            List<JsonNode> endpoints = Rendered.stream(spec.path("podMetricsEndpoints")).toList();
            assertThat(endpoints).extracting(e -> e.path("port").asText() + " " + e.path("path").asText() + " " + e.path("scheme").asText())
                    .containsExactly("management /q/metrics https");
            JsonNode tls = endpoints.get(0).path("tlsConfig");
            assertThat(tls.path("insecureSkipVerify").asBoolean(false)).as(service).isFalse();
            assertThat(tls.path("ca").path("secret").path("name").asText()).as(service).isEqualTo(service + "-tls");
            assertThat(tls.path("ca").path("secret").path("key").asText()).isEqualTo("ca.crt");
            for (String overlay : Rendered.OVERLAYS) {
                JsonNode certificate = Rendered.overlay(overlay).one("Certificate", service + "-tls");
                assertThat(Rendered.stream(certificate.path("spec").path("dnsNames")).map(JsonNode::asText))
                        .as(overlay + ": the name Prometheus checks is in " + service + "'s certificate")
                        .contains(tls.path("serverName").asText());
            }
        }
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
                "SuiteVaultCredentialsFailing", "SuiteLoginGuessingSpike", "SuiteDatabaseConnectionsSaturated",
                "SuiteCertificateRenewalOverdue", "SuiteCertificateExpiring", "SuiteCertificateNotReady");
        // SuiteServiceDown watches exactly the PodMonitors' jobs ("<namespace>/<name>"), not a renamed one left behind.
        String down = rules.stream().filter(rule -> rule.path("alert").asText().equals("SuiteServiceDown")).findFirst().orElseThrow()
                .path("expr").asText();
        java.util.regex.Matcher job = java.util.regex.Pattern.compile("job=~\"([^\"]+)\"").matcher(down);
        assertThat(job.find()).isTrue();
        for (String service : Rendered.SERVICES) {
            assertThat(("suite/suite-services-" + service).matches(job.group(1))).as(service + "'s job").isTrue();
        }
        assertThat("suite/suite-services".matches(job.group(1))).as("the PodMonitor of before, if left behind").isFalse();
        // cert-manager's metrics carry the Certificate's namespace as exported_namespace under its chart's default scrape.
        assertThat(rules.stream().filter(rule -> rule.path("alert").asText().startsWith("SuiteCertificate")))
                .allSatisfy(rule -> assertThat(rule.path("expr").asText()).contains("exported_namespace=\"suite\""));
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.path("expr").asText()).as(rule.path("alert").asText()).isNotBlank();
            assertThat(rule.path("labels").path("severity").asText()).as(rule.path("alert").asText()).isIn("page", "ticket");
            assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
            assertThat(rule.path("annotations").path("runbook").asText()).isNotBlank();
        });
        assertThat(monitoring.objects).allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("suite"));
    }
}
