package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.k8s.Rendered.Pod;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every pod of every overlay: hardened containers, bounded resources, probes, no stray API tokens. */
class WorkloadSecurityTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theExpectedWorkloadsAreRendered(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        List<String> dataTier = overlay.equals("dev")
                ? List.of("Deployment/redis", "StatefulSet/postgres")
                // prod: PostgreSQL is the CloudNativePG Cluster (its pods are the operator's), Redis replicated with Sentinels
                : List.of("StatefulSet/redis", "StatefulSet/redis-sentinel");
        assertThat(r.pods()).extracting(p -> p.kind() + "/" + p.name()).containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
                Stream.of("Deployment/auth-service", "Deployment/user-service", "Deployment/gateway", "Job/auth-migrations",
                        "Job/users-migrations"), dataTier.stream()).toList());
        assertThat(r.objects).allSatisfy(o -> {
            if (!o.path("kind").asText().equals("Namespace")) {
                assertThat(o.path("metadata").path("namespace").asText()).as(describe(o)).isEqualTo("suite");
            }
        });
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyContainerAndInitContainerIsHardened(String overlay) {
        SoftAssertions soft = new SoftAssertions();
        for (Pod pod : Rendered.overlay(overlay).pods()) {
            JsonNode podContext = pod.spec().path("securityContext");
            soft.assertThat(podContext.path("runAsNonRoot").asBoolean()).as(pod.name() + ": pod runAsNonRoot").isTrue();
            soft.assertThat(podContext.path("runAsUser").asInt(0)).as(pod.name() + ": pod runAsUser").isPositive();
            soft.assertThat(pod.spec().path("hostNetwork").asBoolean()).as(pod.name() + ": hostNetwork").isFalse();
            soft.assertThat(pod.spec().path("hostPID").asBoolean()).as(pod.name() + ": hostPID").isFalse();
            soft.assertThat(pod.spec().path("hostIPC").asBoolean()).as(pod.name() + ": hostIPC").isFalse();
            soft.assertThat(Rendered.stream(pod.spec().path("volumes")).filter(v -> v.has("hostPath")).toList())
                    .as(pod.name() + ": hostPath volumes").isEmpty();
            pod.allContainers().forEach(c -> {
                String where = pod.name() + "/" + c.path("name").asText();
                JsonNode sc = c.path("securityContext");
                soft.assertThat(sc.path("runAsNonRoot").asBoolean()).as(where + ": runAsNonRoot").isTrue();
                soft.assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as(where + ": readOnlyRootFilesystem").isTrue();
                soft.assertThat(sc.has("allowPrivilegeEscalation") && !sc.path("allowPrivilegeEscalation").asBoolean())
                        .as(where + ": allowPrivilegeEscalation false").isTrue();
                soft.assertThat(sc.path("privileged").asBoolean()).as(where + ": privileged").isFalse();
                soft.assertThat(Rendered.stream(sc.path("capabilities").path("drop")).map(JsonNode::asText).toList())
                        .as(where + ": capabilities dropped").containsExactly("ALL");
                soft.assertThat(sc.path("capabilities").path("add").isMissingNode()).as(where + ": no capability added").isTrue();
                String seccomp = sc.path("seccompProfile").path("type").asText(podContext.path("seccompProfile").path("type").asText());
                soft.assertThat(seccomp).as(where + ": seccomp").isEqualTo("RuntimeDefault");
                soft.assertThat(Rendered.stream(c.path("ports")).filter(p -> p.has("hostPort")).toList()).as(where + ": hostPort").isEmpty();
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        soft.assertThat(c.path("resources").path(kind).path(resource).asText())
                                .as(where + ": resources." + kind + "." + resource).isNotEmpty();
                    }
                }
            });
        }
        soft.assertAll();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void aReadOnlyRootFileSystemStillHasAWritableTmp(String overlay) {
        for (Pod pod : Rendered.overlay(overlay).pods()) {
            Set<String> emptyDirs = Rendered.stream(pod.spec().path("volumes")).filter(v -> v.has("emptyDir"))
                    .map(v -> v.path("name").asText()).collect(Collectors.toSet());
            pod.containers().forEach(c -> assertThat(Rendered.stream(c.path("volumeMounts"))
                    .anyMatch(m -> m.path("mountPath").asText().equals("/tmp") && emptyDirs.contains(m.path("name").asText())))
                    .as(pod.name() + "/" + c.path("name").asText() + " mounts an emptyDir on /tmp").isTrue());
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void longRunningContainersHaveProbesAndServicesProbeQuarkusHealth(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (Pod pod : r.pods()) {
            if (pod.kind().equals("Job")) {
                continue;
            }
            pod.containers().forEach(c -> {
                // The certificate reloader beside PostgreSQL serves nothing: its readiness would only take the database
                // out of its Service. It still needs liveness, to be restarted when it hangs.
                if (!c.path("name").asText().equals("cert-reloader")) {
                    assertThat(c.has("readinessProbe")).as(pod.name() + " readinessProbe").isTrue();
                }
                assertThat(c.has("livenessProbe")).as(pod.name() + "/" + c.path("name").asText() + " livenessProbe").isTrue();
            });
        }
        for (String service : Rendered.SERVICES) {
            JsonNode app = r.pod("Deployment", service).containers().findFirst().orElseThrow();
            assertThat(app.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
            assertThat(app.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
            // Health lives on Quarkus's management interface only; the API port answers 404 there.
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                if (app.has(probe)) {
                    assertThat(app.path(probe).path("httpGet").path("port").asText()).as(service + " " + probe).isEqualTo("management");
                }
            }
        }
    }

    /**
     * No pod gets a Kubernetes API token. The five Vault clients get a projected token whose audience
     * is "vault", mounted where quarkus-vault reads it, and log in with a Vault role named after their
     * ServiceAccount (deploy/vault/setup.sh binds the role to that account).
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void onlyVaultClientsHoldAServiceAccountTokenAndItIsForVaultOnly(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        SoftAssertions soft = new SoftAssertions();
        r.all("ServiceAccount").forEach(sa -> soft.assertThat(sa.path("automountServiceAccountToken").asBoolean(true))
                .as("ServiceAccount " + sa.path("metadata").path("name").asText() + " automountServiceAccountToken").isFalse());
        assertThat(r.find("ServiceAccount", "default")).as("the namespace's default ServiceAccount is patched too").isPresent();
        for (Pod pod : r.pods()) {
            String account = pod.spec().path("serviceAccountName").asText("default");
            soft.assertThat(pod.spec().path("automountServiceAccountToken").asBoolean(true))
                    .as(pod.name() + ": automountServiceAccountToken").isFalse();
            soft.assertThat(r.find("ServiceAccount", account)).as(pod.name() + ": its ServiceAccount " + account + " is rendered").isPresent();
            List<JsonNode> tokens = Rendered.stream(pod.spec().path("volumes"))
                    .flatMap(v -> Rendered.stream(v.path("projected").path("sources")))
                    .filter(s -> s.has("serviceAccountToken")).map(s -> s.path("serviceAccountToken")).toList();
            if (!Rendered.VAULT_CLIENTS.contains(pod.name())) {
                soft.assertThat(tokens).as(pod.name() + " is no Vault client: no token").isEmpty();
                continue;
            }
            soft.assertThat(account).as(pod.name() + ": own ServiceAccount").isEqualTo(pod.name());
            soft.assertThat(tokens).as(pod.name() + ": one projected token").hasSize(1);
            tokens.forEach(t -> {
                soft.assertThat(t.path("audience").asText()).as(pod.name() + ": token audience").isEqualTo("vault");
                soft.assertThat(t.path("expirationSeconds").asInt()).as(pod.name() + ": token lifetime").isBetween(600, 3600);
            });
            JsonNode app = pod.containers().findFirst().orElseThrow();
            soft.assertThat(Rendered.env(app, "QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_ROLE")).as(pod.name() + ": Vault role").isEqualTo(pod.name());
            soft.assertThat(Rendered.stream(app.path("volumeMounts"))
                    .anyMatch(m -> m.path("mountPath").asText().equals("/var/run/secrets/kubernetes.io/serviceaccount")))
                    .as(pod.name() + ": token at quarkus-vault's default jwt-token-path").isTrue();
        }
        soft.assertAll();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void servicesTakeNoKubernetesSecretsAndNoLiteralSecretsInTheirEnvironment(String overlay) {
        for (Pod pod : Rendered.overlay(overlay).pods()) {
            pod.allContainers().forEach(c -> Rendered.stream(c.path("env")).forEach(e -> {
                String name = e.path("name").asText();
                if (name.matches(".*(PASSWORD|SECRET|TOKEN|PEPPER|_KEY)$")) {
                    assertThat(e.has("value")).as(pod.name() + ": " + name + " must not be a literal").isFalse();
                }
                if (Rendered.VAULT_CLIENTS.contains(pod.name())) {
                    assertThat(e.path("valueFrom").has("secretKeyRef")).as(pod.name() + ": " + name + " comes from Vault, not a Secret").isFalse();
                }
            }));
        }
    }

    private static String describe(JsonNode o) {
        return o.path("kind").asText() + " " + o.path("metadata").path("name").asText();
    }
}
