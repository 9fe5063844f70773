package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The services' Dockerfile.native agree with the manifests: Mandrel for GraalVM 25 builds, the micro
 * image runs as the non-root user the pods expect, on the port the Deployment and Quarkus use.
 * (No image is built here: no container engine on this machine.)
 */
class DockerfileTest {

    static final List<String> SERVICES = Rendered.SERVICES;

    @ParameterizedTest
    @FieldSource("SERVICES")
    void nativeDockerfileMatchesTheDeployment(String service) {
        String dockerfile = Repo.read(Repo.ROOT.resolve(service).resolve("src/main/docker/Dockerfile.native"));
        List<String> from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile).results().map(m -> m.group(1)).toList();
        assertThat(from).containsExactly("quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25", "quay.io/quarkus/ubi9-quarkus-micro-image:2.0");

        String runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(lastValue(runtimeStage, "USER")).isEqualTo("1001");
        assertThat(runtimeStage).contains("COPY --from=build").contains("ENTRYPOINT");
        List<Integer> exposed = exposed(runtimeStage);

        int quarkusPort = Integer.parseInt(Repo.property(service, "", "quarkus.http.port"));
        int managementPort = Integer.parseInt(Repo.property(service, "", "quarkus.management.port"));
        assertThat(exposed).as("EXPOSE = quarkus.http.port, quarkus.management.port").containsExactly(quarkusPort, managementPort);
        for (String overlay : Rendered.OVERLAYS) {
            Rendered.Pod pod = Rendered.overlay(overlay).pod("Deployment", service);
            JsonNode app = pod.containers().findFirst().orElseThrow();
            assertThat(Rendered.stream(app.path("ports")).map(p -> p.path("containerPort").asInt()).toList())
                    .containsExactlyElementsOf(exposed);
            assertThat(pod.spec().path("securityContext").path("runAsUser").asText()).as("the image's user").isEqualTo("1001");
        }
    }

    /** The ports of the stage's EXPOSE lines, in order. */
    private static List<Integer> exposed(String stage) {
        return Pattern.compile("(?m)^EXPOSE\\s+(.+)$").matcher(stage).results()
                .flatMap(m -> java.util.Arrays.stream(m.group(1).strip().split("\\s+"))).map(Integer::parseInt).toList();
    }

    private static String lastValue(String text, String instruction) {
        Matcher m = Pattern.compile("(?m)^" + instruction + "\\s+(\\S+)").matcher(text);
        String value = null;
        while (m.find()) {
            value = m.group(1);
        }
        assertThat(value).as(instruction).isNotNull();
        return value;
    }
}
