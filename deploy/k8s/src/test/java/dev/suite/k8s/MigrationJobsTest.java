package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.k8s.Rendered.Pod;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Migrations that fit GitOps (issue 18, item 5): a release changes each migration Job's pod template, which Kubernetes
 * never updates in place, so every way of deploying re-creates the Job instead of needing it deleted by hand (Argo CD's
 * hook, Flux's force, kubectl apply --force in the guide); ordered before the service that needs its schema (Argo CD
 * waves; the services' readiness everywhere); still the owner role's alone.
 */
class MigrationJobsTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    /** The migration Job (its app.kubernetes.io/name), the service whose image it runs, and its database. */
    private static final Map<String, List<String>> JOBS = Map.of(
            "auth-migrations", List.of("auth-service", "auth"),
            "users-migrations", List.of("user-service", "users"));
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyGitOpsToolReCreatesTheJobWhenAReleaseChangesIt(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JOBS.forEach((job, of) -> {
            JsonNode object = r.one("Job", job);
            JsonNode annotations = object.path("metadata").path("annotations");
            assertThat(annotations.path("argocd.argoproj.io/hook").asText()).as(job + ": a Sync hook, not a tracked resource "
                    + "(the TTL's deletion would read as drift)").isEqualTo("Sync");
            assertThat(annotations.path("argocd.argoproj.io/hook-delete-policy").asText()).as(job + ": Argo CD deletes it before "
                    + "creating it again").isEqualTo("BeforeHookCreation");
            assertThat(annotations.path("kustomize.toolkit.fluxcd.io/force").asText()).as(job + ": Flux re-creates it when an "
                    + "immutable field changes").isEqualTo("enabled");
            // the last release's Job cleans itself up: nothing to delete by hand, nothing piling up
            assertThat(object.path("spec").path("ttlSecondsAfterFinished").asInt(0)).as(job + " ttlSecondsAfterFinished").isPositive();
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void argoCdRunsEachJobAfterWhatItNeedsAndBeforeTheServiceThatNeedsItsSchema(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JOBS.forEach((job, of) -> {
            JsonNode object = r.one("Job", job);
            int wave = wave(object);
            assertThat(wave(r.one("Deployment", of.get(0)))).as(of.get(0) + " syncs after " + job).isGreaterThan(wave);
            // PostgreSQL, its configuration, the ServiceAccount, the NetworkPolicies: all in place and healthy first
            r.objects.stream().filter(o -> !o.path("kind").asText().equals("Job"))
                    .filter(o -> !(o.path("kind").asText().equals("Deployment") && JOBS.values().stream().anyMatch(v -> v.get(0).equals(name(o)))))
                    .forEach(o -> assertThat(wave(o)).as(o.path("kind").asText() + "/" + name(o) + " syncs before " + job)
                            .isLessThan(wave));
        });
    }

    /** The Job runs as the owner role and nothing else; the service's pods never get the owner's Vault role. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theOwnerRoleStaysInTheJobAndOutOfTheServicePods(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JOBS.forEach((job, of) -> {
            Pod pod = r.pod("Job", job);
            assertThat(pod.spec().path("serviceAccountName").asText()).isEqualTo(job);
            JsonNode app = pod.containers().findFirst().orElseThrow();
            assertThat(Rendered.env(app, "QUARKUS_PROFILE")).isEqualTo("migrate");
            assertThat(Rendered.env(app, "QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_ROLE")).isEqualTo(job);
            assertThat(Rendered.env(app, "QUARKUS_VAULT_SECRET_CONFIG_KV_PATH")).isEqualTo("suite/migrations/" + of.get(1));
            assertThat(pod.allContainers().count()).as(job + ": one container, no init step").isEqualTo(1);
            assertThat(secretsOf(pod)).as(job + " mounts or reads no Secret (everything comes from Vault)").isEmpty();

            Pod service = r.pod("Deployment", of.get(0));
            assertThat(service.spec().path("serviceAccountName").asText()).as(of.get(0)).isEqualTo(of.get(0));
            assertThat(service.spec().path("initContainers").isMissingNode() || service.spec().path("initContainers").isEmpty())
                    .as(of.get(0) + " migrates nothing itself: an init container would run with the service's pod identity").isTrue();
            service.allContainers().forEach(c -> {
                assertThat(Rendered.env(c, "QUARKUS_PROFILE")).as(of.get(0)).isNotEqualTo("migrate");
                assertThat(Rendered.env(c, "QUARKUS_FLYWAY_MIGRATE_AT_START")).as(of.get(0)).isNotEqualTo("true");
                assertThat(Rendered.stream(c.path("env")).map(e -> e.path("value").asText())).as(of.get(0))
                        .noneMatch(v -> v.contains("migrations"));
            });
        });
    }

    private static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static int wave(JsonNode object) {
        return Integer.parseInt(object.path("metadata").path("annotations").path("argocd.argoproj.io/sync-wave").asText("0"));
    }

    private static List<String> secretsOf(Pod pod) {
        Stream<String> volumes = Rendered.stream(pod.spec().path("volumes")).filter(v -> v.has("secret") || v.toString().contains("\"secret\""))
                .map(v -> v.path("name").asText());
        Stream<String> env = pod.allContainers().flatMap(c -> Stream.concat(Rendered.stream(c.path("envFrom")), Rendered.stream(c.path("env"))))
                .filter(e -> e.has("secretRef") || e.path("valueFrom").has("secretKeyRef")).map(JsonNode::toString);
        return Stream.concat(volumes, env).toList();
    }
}
