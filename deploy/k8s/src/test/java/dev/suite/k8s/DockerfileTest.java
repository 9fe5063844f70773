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
        // The tag, without the digest (ImagePinningTest checks the digests).
        List<String> from = Pattern.compile("(?m)^FROM\\s+([^\\s@]+)").matcher(dockerfile).results().map(m -> m.group(1)).toList();
        // The last two stages: Mandrel compiles, the micro image runs (the gateway's first stage builds its SPA).
        assertThat(from.subList(Math.max(0, from.size() - 2), from.size()))
                .containsExactly("quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25", "quay.io/quarkus/ubi9-quarkus-micro-image:2.0");

        String runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(lastValue(runtimeStage, "USER")).isEqualTo("1001");
        assertThat(runtimeStage).contains("COPY --from=build").contains("ENTRYPOINT");
        assertThat(runtimeStage).as("the image carries its SBOM (cyclonedx-maven-plugin, at package)")
                .containsPattern("(?m)^COPY [^\\n]*" + service + "/target/bom\\.json /work/sbom\\.cdx\\.json$");
        assertThat(Repo.read(Repo.ROOT.resolve(service).resolve("pom.xml"))).contains("<artifactId>cyclonedx-maven-plugin</artifactId>");
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

    /**
     * The gateway's image serves the SPA in %prod (issue 18, item 1: it was never shipped, GET / was a 404): a Node stage
     * builds it from the sources, with everything outside spa/ that they import, and the runtime stage puts the result
     * where %prod's gateway.spa-dir reads it. (GatewaySpaInProdTest serves such a build in %prod with the headers.)
     */
    @org.junit.jupiter.api.Test
    void theGatewayImageBuildsTheSpaAndServesItFromWhereProdLooks() throws java.io.IOException {
        String dockerfile = Repo.read(Repo.ROOT.resolve("gateway/src/main/docker/Dockerfile.native"));
        String spaStage = stage(dockerfile, "spa");
        assertThat(spaStage).as("the SPA stage installs the lock file's versions and builds")
                .contains("RUN npm ci").contains("RUN npm run build");
        Matcher workdir = Pattern.compile("(?m)^WORKDIR\\s+(\\S+)").matcher(spaStage);
        assertThat(workdir.find()).isTrue();
        java.nio.file.Path stageSpa = java.nio.file.Path.of(workdir.group(1));
        // Every file the SPA's sources import from outside spa/ is copied to the same place relative to the stage's spa/.
        java.nio.file.Path spa = Repo.ROOT.resolve("spa");
        List<java.nio.file.Path> outside;
        try (var sources = java.nio.file.Files.walk(spa.resolve("src"))) {
            outside = sources.filter(java.nio.file.Files::isRegularFile).flatMap(source -> Pattern.compile("from '(\\.\\./[^']+)'")
                    .matcher(Repo.read(source)).results().map(m -> source.getParent().resolve(m.group(1)).normalize()))
                    .filter(target -> !target.startsWith(spa)).toList();
        }
        assertThat(outside).as("the display-name rules, shared with service-kit").isNotEmpty();
        List<String[]> copies = Pattern.compile("(?m)^COPY[ \\t]+(?!--from)(\\S+)[ \\t]+(\\S+)$").matcher(spaStage).results()
                .map(m -> new String[] {m.group(1), m.group(2)}).toList();
        for (java.nio.file.Path file : outside) {
            String source = Repo.ROOT.relativize(file).toString();
            java.nio.file.Path expectedTarget = stageSpa.resolve(spa.relativize(file)).normalize();
            assertThat(copies).as(source + " copied to " + expectedTarget).anySatisfy(copy -> {
                assertThat(source).startsWith(copy[0]);
                assertThat(java.nio.file.Path.of(copy[1]).resolve(java.nio.file.Path.of(copy[0]).relativize(java.nio.file.Path.of(source))))
                        .isEqualTo(expectedTarget);
            });
        }
        String runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        Matcher copySpa = Pattern.compile("(?m)^COPY --from=spa [^\\n]*[ \\t](\\S+)[ \\t]+(\\S+)$").matcher(runtimeStage);
        assertThat(copySpa.find()).as("the runtime stage copies the built SPA").isTrue();
        assertThat(copySpa.group(1)).isEqualTo(stageSpa.resolve("dist").toString());
        assertThat(copySpa.group(2)).as("where %prod's gateway.spa-dir reads it").isEqualTo(Repo.property("gateway", "prod", "gateway.spa-dir"));
    }

    /**
     * The build context is the repository's root, where the dev secrets (.local) also live: .dockerignore ignores
     * everything and lets through exactly the sources the Dockerfiles copy.
     */
    @org.junit.jupiter.api.Test
    void theBuildContextHoldsWhatTheStagesCopyAndNothingElse() {
        List<String> ignore = Repo.read(Repo.ROOT.resolve(".dockerignore")).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignore.get(0)).as("everything ignored first").isEqualTo("*");
        List<String> letThrough = ignore.stream().filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        assertThat(ignore).hasSize(letThrough.size() + 1);
        List<String> copied = SERVICES.stream().map(s -> Repo.read(Repo.ROOT.resolve(s).resolve("src/main/docker/Dockerfile.native")))
                .flatMap(d -> Pattern.compile("(?m)^COPY[ \\t]+(?![^\\n]*--from)(?:--\\S+[ \\t]+)*(\\S+(?:[ \\t]+\\S+)*)[ \\t]+\\S+$").matcher(d).results())
                .flatMap(m -> java.util.Arrays.stream(m.group(1).split("\\s+"))).distinct().toList();
        assertThat(letThrough).as("let through = copied").containsExactlyInAnyOrderElementsOf(copied);
        assertThat(letThrough).noneMatch(path -> path.startsWith(".local") || path.equals(".") || path.contains("*"));
        copied.forEach(path -> assertThat(path).as("a COPY source is a path from the root").doesNotStartWith("/").doesNotStartWith("target/"));
    }

    /** The stage named {@code name}: from its FROM line to the next. */
    private static String stage(String dockerfile, String name) {
        Matcher m = Pattern.compile("(?m)^FROM\\s+\\S+\\s+AS\\s+" + name + "$").matcher(dockerfile);
        assertThat(m.find()).as("stage " + name).isTrue();
        int next = dockerfile.indexOf("\nFROM ", m.end());
        return dockerfile.substring(m.start(), next < 0 ? dockerfile.length() : next);
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
