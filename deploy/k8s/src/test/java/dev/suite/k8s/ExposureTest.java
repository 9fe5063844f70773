package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.k8s.Rendered.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What is reachable from outside, what is committed in clear, and which images run. */
class ExposureTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;

    // The way in from outside (Gateway API: routes, listeners, who may reach the gateway): IngressPathTest.

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyServiceIsClusterInternal(String overlay) {
        Rendered.overlay(overlay).all("Service").forEach(s -> {
            String name = s.path("metadata").path("name").asText();
            assertThat(s.path("spec").path("type").asText("ClusterIP")).as(name).isEqualTo("ClusterIP");
            assertThat(s.path("spec").has("externalIPs")).as(name + " externalIPs").isFalse();
        });
    }

    /**
     * The management port (health, metrics, OpenAPI) is for the kubelet and Prometheus, which reach pods directly:
     * no Service names it, so neither the Gateway's routes nor another pod resolving a Service name gets there.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void noServiceExposesTheManagementPort(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            JsonNode app = r.pod("Deployment", service).containers().findFirst().orElseThrow();
            assertThat(Rendered.stream(app.path("ports")).filter(p -> p.path("name").asText().equals("management"))
                    .map(p -> p.path("containerPort").asInt()).toList()).as(service + " management port").containsExactly(9000);
        }
        r.all("Service").forEach(s -> Rendered.stream(s.path("spec").path("ports")).forEach(port -> {
            String where = "Service " + s.path("metadata").path("name").asText() + " port " + port.path("name").asText();
            assertThat(port.path("targetPort").asText()).as(where).isNotIn("management", "9000");
            assertThat(port.path("port").asInt()).as(where).isNotEqualTo(9000);
        }));
    }

    /** Secrets reach the cluster from Vault (and k8s-secrets.sh), never from the repository. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void nothingSecretIsRenderedFromTheRepository(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        r.all("Secret").forEach(s -> {
            assertThat(s.path("data").isEmpty()).as("Secret " + s.path("metadata").path("name").asText() + " data").isTrue();
            assertThat(s.path("stringData").isEmpty()).as("Secret " + s.path("metadata").path("name").asText() + " stringData").isTrue();
        });
        r.all("ConfigMap").forEach(cm -> cm.path("data").fields().forEachRemaining(e -> {
            String where = "ConfigMap " + cm.path("metadata").path("name").asText() + " key " + e.getKey();
            assertThat(e.getValue().asText()).as(where).doesNotContain("PRIVATE KEY");
            assertThat(e.getValue().asText()).as(where).doesNotContainPattern("(?im)^\\s*requirepass\\s+\\S+");
            assertThat(e.getKey()).as(where).doesNotContainPattern("(?i)password|secret|token|pepper");
        }));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theSuiteImagesAreTheServicesOwn(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            String image = r.pod("Deployment", service).containers().findFirst().orElseThrow().path("image").asText();
            assertThat(image).matches("([a-z0-9.-]+(:[0-9]+)?/)?suite/" + service + "[:@].+");
        }
    }

    /**
     * A bare name ("suite/gateway", "postgres") is pulled from Docker Hub: for the suite's own images that is someone
     * else's namespace, an image anyone could publish. Production names the registry of every image (issue 18, item 8).
     */
    @Test
    void prodNamesTheRegistryOfEveryImage() {
        for (Pod pod : Rendered.overlay("prod").pods()) {
            pod.allContainers().forEach(c -> {
                String image = c.path("image").asText();
                String first = image.substring(0, Math.max(0, image.indexOf('/')));
                assertThat(first).as(pod.name() + ": " + image + " names its registry host").matches("localhost(:[0-9]+)?|[a-z0-9-]+(\\.[a-z0-9-]+)+(:[0-9]+)?");
                if (image.contains("/suite/")) {
                    assertThat(first).as(image + ": the suite's images are never on Docker Hub").isNotIn("docker.io", "index.docker.io", "registry-1.docker.io");
                }
            });
        }
    }

    @Test
    void prodPinsEveryImageToATagOtherThanLatest() {
        for (Pod pod : Rendered.overlay("prod").pods()) {
            pod.allContainers().forEach(c -> {
                String image = c.path("image").asText();
                String where = pod.name() + "/" + c.path("name").asText() + ": " + image;
                if (image.contains("@sha256:")) {
                    return;
                }
                String lastPart = image.substring(image.lastIndexOf('/') + 1);
                assertThat(lastPart).as(where + " has a tag").contains(":");
                assertThat(lastPart.substring(lastPart.indexOf(':') + 1)).as(where).isNotEqualTo("latest");
                assertThat(c.path("imagePullPolicy").asText()).as(where).isNotEqualTo("Never");
            });
        }
    }
}
