package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Supply chain (issue 18, item 8): what runs is what was reviewed. A tag moves (postgres:17 is a new image with every
 * minor release), a digest does not: every third-party image is written tag@sha256:..., the tag saying what it is and the
 * digest what is pulled. The suite's own images carry the version make images tags, the pom's.
 */
class ImagePinningTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;

    /** name[:port]/path:tag@sha256:<64 hex>: a registry named, a tag, a digest. */
    static final Pattern PINNED = Pattern.compile("[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}");

    /**
     * The base images no digest could be verified for when the pins were made (no registry access on the machines that
     * wrote them, and no two independent public sources giving the same index digest for the tag). Each stays by tag
     * until `make pin-images` runs where the registries answer; then this list must shrink (a pinned entry here fails).
     */
    static final Map<String, String> NOT_YET_PINNED = Map.of(
            "quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25", "build stage only; one public source, not two",
            "quay.io/quarkus/ubi9-quarkus-micro-image:2.0", "runtime base of the three images; no public source");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyThirdPartyImageTheOverlayRunsIsPinnedByDigest(String overlay) {
        Map<String, String> digestOf = new HashMap<>();
        for (Rendered.Pod pod : Rendered.overlay(overlay).pods()) {
            pod.allContainers().forEach(c -> {
                String image = c.path("image").asText();
                if (isTheSuites(image)) {
                    return;
                }
                assertThat(image).as(overlay + ": " + pod.name() + "/" + c.path("name").asText()).matches(PINNED);
                String previous = digestOf.putIfAbsent(image.substring(0, image.indexOf('@')), image);
                assertThat(previous == null ? image : previous).as("one digest per tag: " + image).isEqualTo(image);
            });
        }
        // prod's PostgreSQL is the CloudNativePG Cluster's imageName, no container of a rendered pod (PostgresClusterTest).
        assertThat(digestOf.keySet()).as(overlay + ": PostgreSQL and Redis, or Redis alone").hasSize(overlay.equals("dev") ? 2 : 1);
    }

    @Test
    void everyBaseImageOfTheDockerfilesIsPinnedByDigestExceptTheNamedOnes() {
        List<String> unpinned = new ArrayList<>();
        Map<String, String> digestOf = new HashMap<>();
        for (String service : Rendered.SERVICES) {
            String dockerfile = Repo.read(dockerfile(service));
            Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile).results().map(m -> m.group(1)).forEach(from -> {
                if (NOT_YET_PINNED.containsKey(from)) {
                    unpinned.add(from);
                    return;
                }
                assertThat(from).as(service + " FROM").matches(PINNED);
                String previous = digestOf.putIfAbsent(from.substring(0, from.indexOf('@')), from);
                assertThat(previous == null ? from : previous).as("one digest per tag: " + from).isEqualTo(from);
            });
        }
        assertThat(unpinned).as("every exemption is still in use (a pinned one leaves NOT_YET_PINNED)")
                .containsAll(NOT_YET_PINNED.keySet());
    }

    /** One decision: make images tags the pom's version, and production deploys exactly that. */
    @Test
    void theProdOverlayDeploysTheTagMakeImagesGives() throws Exception {
        String tag = run(List.of("make", "-s", "--no-print-directory", "image-tag"), Repo.ROOT, Map.of()).strip();
        assertThat(tag).as("make image-tag").isEqualTo(pomVersion());
        Rendered prod = Rendered.overlay("prod");
        List<String> suiteImages = prod.pods().stream().flatMap(Rendered.Pod::allContainers).map(c -> c.path("image").asText())
                .filter(ImagePinningTest::isTheSuites).toList();
        assertThat(suiteImages).as("the services and the migration Jobs").hasSizeGreaterThanOrEqualTo(Rendered.SERVICES.size())
                .allSatisfy(image -> assertThat(image.substring(image.lastIndexOf(':') + 1)).as(image).isEqualTo(tag));
    }

    /**
     * make pin-images against a stand-in crane (the registries are out of reach here): every unpinned and every pinned
     * third-party reference becomes tag@<the digest crane gives for the tag>, the suite's own images are left alone, and
     * a second run changes nothing.
     */
    @Test
    void pinImagesWritesTheDigestCraneGivesForEachTag() throws Exception {
        Path copy = Files.createTempDirectory("pin-images");
        List<String> files = List.of("auth-service/src/main/docker/Dockerfile.native", "user-service/src/main/docker/Dockerfile.native",
                "gateway/src/main/docker/Dockerfile.native", "deploy/k8s/base/postgres/statefulset.yaml",
                "deploy/k8s/base/redis/deployment.yaml", "deploy/images/pin-images.sh", "deploy/k8s/base/services/gateway.yaml");
        for (String file : files) {
            Files.createDirectories(copy.resolve(file).getParent());
            Files.copy(Repo.ROOT.resolve(file), copy.resolve(file));
        }
        Path crane = copy.resolve("fake-crane");
        // The digest is a function of the reference, so each tag gets its own and a wrong mapping shows.
        Files.writeString(crane, "#!/usr/bin/env bash\n[ \"$1\" = digest ] || exit 2\necho \"$2\" >> \"$(dirname \"$0\")/asked\"\n"
                + "printf 'sha256:%s\\n' \"$(printf '%s' \"$2\" | sha256sum | cut -c1-64)\"\n");
        crane.toFile().setExecutable(true);
        Map<String, String> env = Map.of("CRANE", crane.toString());
        run(List.of(copy.resolve("deploy/images/pin-images.sh").toString()), copy, env);

        for (String file : files.subList(0, 5)) {
            String text = Files.readString(copy.resolve(file));
            List<String> refs = Pattern.compile("(?m)^(?:FROM\\s+|\\s*image:\\s+)(\\S+)").matcher(text).results().map(m -> m.group(1)).toList();
            assertThat(refs).as(file).isNotEmpty().allSatisfy(ref -> {
                assertThat(ref).matches(PINNED);
                String tagged = ref.substring(0, ref.indexOf('@'));
                assertThat(ref).isEqualTo(tagged + "@sha256:" + sha256(tagged));
            });
        }
        assertThat(Files.readString(copy.resolve("deploy/k8s/base/services/gateway.yaml")))
                .isEqualTo(Repo.read(Repo.ROOT.resolve("deploy/k8s/base/services/gateway.yaml")));
        Map<String, String> once = new HashMap<>();
        for (String file : files) {
            once.put(file, Files.readString(copy.resolve(file)));
        }
        String second = run(List.of(copy.resolve("deploy/images/pin-images.sh").toString()), copy, env);
        assertThat(second).as("a second run writes nothing").isEmpty();
        for (String file : files) {
            assertThat(Files.readString(copy.resolve(file))).as(file).isEqualTo(once.get(file));
        }
    }

    static boolean isTheSuites(String image) {
        return image.startsWith("suite/") || image.contains("/suite/");
    }

    static Path dockerfile(String service) {
        return Repo.ROOT.resolve(service).resolve("src/main/docker/Dockerfile.native");
    }

    private static String pomVersion() {
        var m = Pattern.compile("<version>([^<]+)</version>").matcher(Repo.read(Repo.ROOT.resolve("pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String sha256(String text) throws Exception {
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(hash);
    }

    private static String run(List<String> command, Path dir, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(command + " failed:\n" + out);
        }
        return out;
    }
}
