package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.k8s.Rendered.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Replicas, disruption budgets, rolling updates and the migration jobs. */
class AvailabilityTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;

    @Test
    void prodRunsEveryServiceWithAtLeastTwoReplicas() {
        Rendered prod = Rendered.overlay("prod");
        for (String service : Rendered.SERVICES) {
            assertThat(prod.one("Deployment", service).path("spec").path("replicas").asInt(1)).as(service).isGreaterThanOrEqualTo(2);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyServiceHasADisruptionBudgetThatKeepsOneReplicaWhereThereAreTwo(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            JsonNode deployment = r.one("Deployment", service);
            JsonNode pdb = r.one("PodDisruptionBudget", service);
            JsonNode selector = pdb.path("spec").path("selector").path("matchLabels");
            JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
            assertThat(selector.isEmpty()).as(service + " PDB selector").isFalse();
            selector.fields().forEachRemaining(e -> assertThat(podLabels.path(e.getKey()).asText())
                    .as(service + " PDB selects the Deployment's pods").isEqualTo(e.getValue().asText()));
            int replicas = deployment.path("spec").path("replicas").asInt(1);
            JsonNode spec = pdb.path("spec");
            int stillUp = spec.has("minAvailable") ? spec.path("minAvailable").asInt() : replicas - spec.path("maxUnavailable").asInt();
            if (replicas >= 2) {
                assertThat(stillUp).as(service + ": replicas that survive a voluntary disruption").isGreaterThanOrEqualTo(1);
            }
            assertThat(stillUp).as(service + ": a drain is never blocked for good").isLessThan(replicas);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void rollingUpdatesNeverGoBelowTheDesiredReplicas(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            JsonNode strategy = r.one("Deployment", service).path("spec").path("strategy");
            assertThat(strategy.path("type").asText()).isEqualTo("RollingUpdate");
            assertThat(strategy.path("rollingUpdate").path("maxUnavailable").asInt(-1)).as(service).isZero();
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachDatabaseHasAMigrationJobRunningItsServiceImageInMigrateOnlyMode(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        Map<String, String[]> jobs = Map.of(
                "auth-migrations", new String[] {"auth-service", "suite/migrations/auth"},
                "users-migrations", new String[] {"user-service", "suite/migrations/users"});
        jobs.forEach((job, expected) -> {
            Pod pod = r.pod("Job", job);
            JsonNode app = pod.containers().findFirst().orElseThrow();
            String serviceImage = r.pod("Deployment", expected[0]).containers().findFirst().orElseThrow().path("image").asText();
            assertThat(app.path("image").asText()).as(job + " image").isEqualTo(serviceImage);
            assertThat(Rendered.env(app, "SUITE_MIGRATE_ONLY")).as(job).isEqualTo("true");
            assertThat(Rendered.env(app, "QUARKUS_PROFILE")).as(job + ": needs none of the service's secrets").isEqualTo("migrate");
            assertThat(Rendered.env(app, "QUARKUS_FLYWAY_MIGRATE_AT_START")).as(job).isEqualTo("true");
            assertThat(Rendered.env(app, "QUARKUS_VAULT_SECRET_CONFIG_KV_PATH")).as(job).isEqualTo(expected[1]);
            assertThat(Rendered.env(app, "QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_ROLE")).as(job).isEqualTo(job);
            assertThat(pod.spec().path("restartPolicy").asText()).isEqualTo("Never");
            JsonNode spec = r.one("Job", job).path("spec");
            assertThat(spec.path("backoffLimit").asInt(6)).isLessThanOrEqualTo(3);
            assertThat(spec.path("activeDeadlineSeconds").asInt(0)).as(job + " cannot hang forever").isPositive();
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void aRolloutLetsEveryRequestFinishBeforeThePodIsKilled(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            Pod pod = r.pod("Deployment", service);
            JsonNode app = pod.containers().findFirst().orElseThrow();
            JsonNode preStop = app.path("lifecycle").path("preStop");
            assertThat(preStop.has("exec")).as(service + ": the micro image has no shell nor sleep to exec").isFalse();
            int pause = preStop.path("sleep").path("seconds").asInt(0);
            assertThat(pause).as(service + ": a preStop pause while proxies still route to the terminating pod").isBetween(3, 15);
            Duration drain = Duration.parse("PT" + Repo.property(service, "prod", "quarkus.shutdown.timeout").toUpperCase(java.util.Locale.ROOT));
            assertThat(drain).as(service + ": requests in flight at SIGTERM are answered").isGreaterThanOrEqualTo(Duration.ofSeconds(10));
            int grace = pod.spec().path("terminationGracePeriodSeconds").asInt(30);
            assertThat(grace).as(service + ": SIGKILL comes only after the pause, the drain and a margin")
                    .isGreaterThanOrEqualTo(pause + (int) drain.toSeconds() + 5);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyProbeAsksTheManagementPortAndAStartupProbeGuardsTheSlowStart(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            JsonNode app = r.pod("Deployment", service).containers().findFirst().orElseThrow();
            Map<String, String> paths = Map.of("startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
                    "livenessProbe", "/q/health/live");
            paths.forEach((probe, path) -> {
                JsonNode get = app.path(probe).path("httpGet");
                assertThat(get.path("path").asText()).as(service + " " + probe).isEqualTo(path);
                assertThat(get.path("port").asText()).as(service + " " + probe + ": never the API port").isEqualTo("management");
                assertThat(get.path("scheme").asText()).as(service + " " + probe + ": the management port speaks TLS only").isEqualTo("HTTPS");
            });
            JsonNode startup = app.path("startupProbe");
            int startBudget = startup.path("periodSeconds").asInt(10) * startup.path("failureThreshold").asInt(3);
            assertThat(startBudget).as(service + ": seconds a start may take (Vault login, first lease) before a restart")
                    .isGreaterThanOrEqualTo(60);
        }
    }
}
