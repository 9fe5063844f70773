package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.k8s.Rendered.Pod;
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
}
