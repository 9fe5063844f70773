package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.k8s.Rendered.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Migrations that fit GitOps (issue 18, item 5): one immutable Job per release, named after the image tag it runs, so a
 * new release is a new Job that a plain apply, Argo CD or Flux creates with no hand deletion; ordered before the service
 * that needs its schema (Argo CD waves; the services' readiness everywhere); still the owner role's alone.
 */
class MigrationJobsTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    /** The migration Job (its app.kubernetes.io/name), the service whose image it runs, and its database. */
    private static final Map<String, List<String>> JOBS = Map.of(
            "auth-migrations", List.of("auth-service", "auth"),
            "users-migrations", List.of("user-service", "users"));
    /** A Job name is also the job-name label of its pods: a DNS label of 63 characters at most. */
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?";

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachJobIsNamedAfterTheReleaseItsServiceRuns(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JOBS.forEach((job, of) -> {
            JsonNode object = r.one("Job", job);
            String name = object.path("metadata").path("name").asText();
            String serviceTag = tag(r.pod("Deployment", of.get(0)).containers().findFirst().orElseThrow().path("image").asText());
            assertThat(name).as(overlay + ": " + job + " carries the tag of " + of.get(0) + "'s image").isEqualTo(job + "-" + serviceTag);
            assertThat(name).as(overlay + ": a Job name Kubernetes accepts (no RELEASE placeholder left)").matches(DNS_LABEL);
            // the previous release's Job cleans itself up: nothing to delete by hand, nothing piling up
            assertThat(object.path("spec").path("ttlSecondsAfterFinished").asInt(0)).as(job + " ttlSecondsAfterFinished").isPositive();
        });
    }

    /** What "no hand deletion" rests on: render the overlay again with the next tag and the Job is another object. */
    @Test
    void theNextReleaseIsANewJobNotAnEditOfTheLastOne() throws IOException {
        Path copy = Repo.K8S.resolve("target/next-release");   // the same depth as overlays/prod: ../../base still resolves
        copyTree(Repo.K8S.resolve("overlays/prod"), copy);
        Path kustomization = copy.resolve("kustomization.yaml");
        String text = Files.readString(kustomization);
        String current = "    newName: registry.example.invalid/suite/auth-service\n    newTag: 1.0.0\n";
        assertThat(text).as("the prod overlay pins auth-service at 1.0.0 (update this test with it)").contains(current);
        Files.writeString(kustomization, text.replace(current, current.replace("1.0.0", "1.1.0")));

        Rendered next = Rendered.directory(copy);
        Rendered prod = Rendered.overlay("prod");
        assertThat(next.one("Job", "auth-migrations").path("metadata").path("name").asText()).isEqualTo("auth-migrations-1.1.0")
                .isNotEqualTo(prod.one("Job", "auth-migrations").path("metadata").path("name").asText());
        assertThat(next.pod("Job", "auth-migrations").containers().findFirst().orElseThrow().path("image").asText())
                .isEqualTo("registry.example.invalid/suite/auth-service:1.1.0");
        // the release of the other service has not changed, nor has its Job
        assertThat(next.one("Job", "users-migrations").path("metadata").path("name").asText())
                .isEqualTo(prod.one("Job", "users-migrations").path("metadata").path("name").asText());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void argoCdRunsEachJobAfterWhatItNeedsAndBeforeTheServiceThatNeedsItsSchema(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JOBS.forEach((job, of) -> {
            JsonNode object = r.one("Job", job);
            JsonNode annotations = object.path("metadata").path("annotations");
            assertThat(annotations.path("argocd.argoproj.io/hook").asText()).as(job + ": a Sync hook, not a tracked resource "
                    + "(the TTL's deletion would read as drift)").isEqualTo("Sync");
            assertThat(annotations.path("argocd.argoproj.io/hook-delete-policy").asText()).as(job).isEqualTo("BeforeHookCreation");
            int wave = wave(object);
            assertThat(wave(r.one("Deployment", of.get(0)))).as(of.get(0) + " syncs after " + job).isGreaterThan(wave);
            // PostgreSQL, its configuration, the ServiceAccount, the NetworkPolicies: all in place and healthy first
            r.objects.stream().filter(o -> !o.path("kind").asText().equals("Job"))
                    .filter(o -> !(o.path("kind").asText().equals("Deployment") && JOBS.values().stream().anyMatch(v -> v.get(0).equals(Rendered.workloadName(o)))))
                    .forEach(o -> assertThat(wave(o)).as(o.path("kind").asText() + "/" + Rendered.workloadName(o) + " syncs before " + job)
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

    /** The tag of an image reference [registry/]path:tag (a registry's :port comes before the last '/'). */
    private static String tag(String image) {
        int colon = image.lastIndexOf(':');
        assertThat(colon).as(image + " is referenced by tag").isGreaterThan(image.lastIndexOf('/'));
        assertThat(image).as(image + ": no digest").doesNotContain("@");
        return image.substring(colon + 1);
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

    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
