package dev.suite.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One overlay as {@code kubectl kustomize} renders it: exactly what {@code kubectl apply -k} would send.
 * Rendered once per overlay and test JVM.
 */
final class Rendered {

    static final List<String> OVERLAYS = List.of("dev", "prod");
    /** The workloads whose pods log in to Vault (Kubernetes auth), by ServiceAccount name. */
    static final List<String> VAULT_CLIENTS = List.of("auth-service", "user-service", "gateway", "auth-migrations", "users-migrations");
    static final List<String> SERVICES = List.of("auth-service", "user-service", "gateway");

    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();
    private static final YAMLMapper YAML = new YAMLMapper();

    final String overlay;
    final List<JsonNode> objects;

    private Rendered(String overlay, List<JsonNode> objects) {
        this.overlay = overlay;
        this.objects = objects;
    }

    static Rendered overlay(String name) {
        return CACHE.computeIfAbsent(name, n -> new Rendered(n, parse(kustomize(Repo.K8S.resolve("overlays").resolve(n)))));
    }

    /** Another kustomization of deploy/k8s than an overlay (e.g. "monitoring"), rendered the same way. */
    static Rendered kustomization(String folder) {
        return CACHE.computeIfAbsent("../" + folder, n -> new Rendered(folder, parse(kustomize(Repo.K8S.resolve(folder)))));
    }

    /** A pod template (or pod) with the workload it belongs to. */
    record Pod(String kind, String name, JsonNode spec, JsonNode labels) {
        Stream<JsonNode> allContainers() {
            return Stream.concat(stream(spec.path("initContainers")), stream(spec.path("containers")));
        }

        Stream<JsonNode> containers() {
            return stream(spec.path("containers"));
        }

        String label(String key) {
            return labels.path(key).asText(null);
        }
    }

    Stream<JsonNode> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
    }

    JsonNode one(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("overlay " + overlay + " renders no " + kind + " " + name));
    }

    Optional<JsonNode> find(String kind, String name) {
        return all(kind).filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    /** Generated ConfigMaps carry a hash suffix: find one by the name before the suffix. */
    JsonNode configMap(String baseName) {
        List<JsonNode> found = all("ConfigMap")
                .filter(o -> o.path("metadata").path("name").asText().matches(baseName + "(-[a-z0-9]{10})?"))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("overlay " + overlay + " renders " + found.size() + " ConfigMaps named " + baseName);
        }
        return found.get(0);
    }

    /** Every pod this overlay can create: Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, bare Pods. */
    List<Pod> pods() {
        List<Pod> pods = new ArrayList<>();
        for (JsonNode o : objects) {
            String kind = o.path("kind").asText();
            String name = o.path("metadata").path("name").asText();
            JsonNode template = switch (kind) {
                case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> o.path("spec").path("template");
                case "CronJob" -> o.path("spec").path("jobTemplate").path("spec").path("template");
                case "Pod" -> o;
                default -> null;
            };
            if (template != null) {
                pods.add(new Pod(kind, name, template.path("spec"), template.path("metadata").path("labels")));
            }
        }
        return pods;
    }

    Pod pod(String kind, String name) {
        return pods().stream().filter(p -> p.kind().equals(kind) && p.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("overlay " + overlay + " renders no " + kind + " " + name));
    }

    static Stream<JsonNode> stream(JsonNode array) {
        return array.isArray() ? StreamSupport.stream(array.spliterator(), false) : Stream.empty();
    }

    /** The value of a literal env var of a container, or null. */
    static String env(JsonNode container, String name) {
        return stream(container.path("env")).filter(e -> name.equals(e.path("name").asText()))
                .map(e -> e.path("value").asText(null)).findFirst().orElse(null);
    }

    private static String kustomize(Path dir) {
        String kubectl = kubectl();
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("kubectl kustomize " + dir + " did not finish in 120 s");
                }
                if (p.exitValue() != 0) {
                    throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + p.exitValue() + "):\n"
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("Cannot run " + kubectl + " kustomize " + dir + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while rendering " + dir, e);
        }
    }

    /** kubectl from the PATH (or /usr/bin), with a clear failure when this machine has none. */
    static String kubectl() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/local/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return Path.of(dir, "kubectl").toString();
            }
        }
        throw new AssertionError("kubectl is not installed: these tests render deploy/k8s with `kubectl kustomize` "
                + "(kubectl 1.27+, which embeds kustomize v5). Install kubectl and run again; no cluster is needed.");
    }

    private static List<JsonNode> parse(String yaml) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                        docs.add(doc);
                    }
                }
            }
            return List.copyOf(docs);
        } catch (IOException e) {
            throw new AssertionError("kubectl kustomize wrote YAML that does not parse: " + e.getMessage(), e);
        }
    }
}
