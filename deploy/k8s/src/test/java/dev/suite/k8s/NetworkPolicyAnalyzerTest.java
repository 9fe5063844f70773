package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A second opinion on the NetworkPolicies from a NetworkPolicy analyser we did not write: np-guard's netpol-analyzer
 * ({@code netpolicy list}, installed by .ci/netpol-analyzer.sh into .local/tools, never committed) computes every
 * connection the rendered overlay allows between its workloads and the peers outside the namespace (each given as a
 * workload in its usual namespace with its usual labels), and the result must be exactly
 * deploy/network/allowed-connections.txt: nothing missing, nothing more.
 */
class NetworkPolicyAnalyzerTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @FieldSource("dev.suite.k8s.Rendered#OVERLAYS")
    void theAnalyserFindsExactlyTheAllowedConnections(String overlay, @TempDir Path dir) throws Exception {
        Rendered rendered = Rendered.overlay(overlay);
        StringBuilder manifests = new StringBuilder();
        for (JsonNode object : rendered.objects) {
            manifests.append("---\n").append(YAML.writeValueAsString(object).replaceFirst("^---\n", ""));
        }
        Files.writeString(dir.resolve("suite.yaml"), manifests, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("peers.yaml"), outsiders() + operatorMadePods(rendered), StandardCharsets.UTF_8);

        String namespace = rendered.all("Deployment").findFirst().orElseThrow().path("metadata").path("namespace").asText();
        JsonNode connections = JSON.readTree(analyse(dir));
        Set<String> allowed = new TreeSet<>();
        Set<String> byAddress = new TreeSet<>();
        for (JsonNode connection : connections) {
            String[] from = peer(connection.path("src").asText());
            String[] to = peer(connection.path("dst").asText());
            if (!namespace.equals(from[0]) && !namespace.equals(to[0])) {
                continue;   // between two outsiders: none of the suite's business
            }
            if (from[0].isEmpty() || to[0].isEmpty()) {
                // To or from an address range (an ipBlock): the prod instances' way to object storage and the API.
                ports(connection.path("conn").asText()).forEach(port -> byAddress.add(from[0].isEmpty() ? "address -> " + to[1] + ":" + port
                        : from[1] + " -> address:" + port));
                continue;
            }
            for (String port : ports(connection.path("conn").asText())) {
                allowed.add(from[1] + " -> " + to[1] + ":" + port);
            }
        }
        // The analyser lists connections between two workloads; one replica to another of the same one is not among them.
        Set<String> expected = new TreeSet<>(NetworkPolicyTest.expected(overlay));
        expected.removeIf(edge -> edge.substring(0, edge.indexOf(" -> ")).equals(edge.substring(edge.indexOf(" -> ") + 4, edge.lastIndexOf(':'))));
        assertThat(allowed).as("netpol-analyzer on overlay " + overlay).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(byAddress).as("netpol-analyzer on overlay " + overlay + ": connections by address")
                .containsExactlyInAnyOrderElementsOf(rendered.all("Cluster").findAny().isPresent()
                        ? List.of("postgres -> address:443/tcp", "postgres -> address:6443/tcp") : List.of());
    }

    /** "suite/gateway[Deployment]" is {suite, gateway}; an IP range (no workload) is {"", the range}. */
    private static String[] peer(String analysed) {
        int slash = analysed.indexOf('/');
        int bracket = analysed.indexOf('[');
        if (slash < 0 || bracket < slash) {
            return new String[] { "", analysed };
        }
        return new String[] { analysed.substring(0, slash), analysed.substring(slash + 1, bracket) };
    }

    /** "TCP 8081", "TCP 8081,9000", "TCP 53,UDP 53", "All Connections": as 8081/tcp ...; a range or everything stays as said. */
    private static List<String> ports(String conn) {
        List<String> ports = new ArrayList<>();
        String protocol = null;
        for (String part : conn.split(",")) {
            String[] words = part.strip().split("\\s+");
            if (words.length == 2 && words[1].matches("\\d+")) {
                protocol = words[0].toLowerCase();
                ports.add(words[1] + "/" + protocol);
            } else if (words.length == 1 && words[0].matches("\\d+") && protocol != null) {
                ports.add(words[0] + "/" + protocol);   // a further port of the protocol named before it
            } else {
                ports.add(part.strip());
            }
        }
        return ports;
    }

    /** The pods an operator makes for the overlay (CloudNativePG's instances), as NetworkPolicyTest has them: one Deployment each. */
    private static String operatorMadePods(Rendered rendered) throws IOException {
        StringBuilder out = new StringBuilder();
        for (NetworkPolicyTest.Peer peer : NetworkPolicyTest.workloads(rendered)) {
            if (rendered.pods().stream().noneMatch(p -> p.name().equals(peer.name()))) {
                out.append(deployment(peer, null));
            }
        }
        return out.toString();
    }

    /** The peers outside the suite's namespace, as NetworkPolicyTest has them: one Deployment each, with its Namespace. */
    private static String outsiders() throws IOException {
        StringBuilder out = new StringBuilder();
        java.util.Set<String> namespaces = new java.util.HashSet<>();
        for (NetworkPolicyTest.Peer peer : NetworkPolicyTest.OUTSIDERS) {
            if (peer.inSuite()) {
                // A pod in the suite's namespace that no policy names: a Deployment beside the suite's.
                out.append(deployment(peer, null));
                continue;
            }
            if (namespaces.add(peer.namespace())) {   // two peers may share a namespace (the Gateway proxies')
                ObjectNode ns = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
                ns.putObject("metadata").put("name", peer.namespace()).putObject("labels").put("kubernetes.io/metadata.name", peer.namespace());
                out.append("---\n").append(YAML.writeValueAsString(ns).replaceFirst("^---\n", ""));
            }
            out.append(deployment(peer, peer.namespace()));
        }
        return out.toString();
    }

    private static String deployment(NetworkPolicyTest.Peer peer, String namespace) throws IOException {
        ObjectNode d = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
        ObjectNode metadata = d.putObject("metadata").put("name", peer.name());
        metadata.put("namespace", namespace == null ? "suite" : namespace);
        ObjectNode spec = d.putObject("spec");
        ObjectNode labels = spec.putObject("selector").putObject("matchLabels");
        ObjectNode template = spec.putObject("template");
        ObjectNode templateLabels = template.putObject("metadata").putObject("labels");
        peer.labels().forEach((k, v) -> {
            labels.put(k, v);
            templateLabels.put(k, v);
        });
        template.putObject("spec").putArray("containers").addObject().put("name", "main").put("image", "example.invalid/peer:1");
        return "---\n" + YAML.writeValueAsString(d).replaceFirst("^---\n", "");
    }

    private static String analyse(Path dir) throws IOException, InterruptedException {
        Process install = new ProcessBuilder(Repo.ROOT.resolve(".ci/netpol-analyzer.sh").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String netpolicy = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!install.waitFor(20, TimeUnit.MINUTES) || install.exitValue() != 0) {
            throw new AssertionError(".ci/netpol-analyzer.sh could not install netpol-analyzer (it needs Go and the Go module proxy)");
        }
        Path out = dir.resolve("connections.json");
        Path err = dir.resolve("analyzer.err");
        Process p = new ProcessBuilder(netpolicy, "list", "--dirpath", dir.toString(), "-o", "json", "-f", out.toString(), "-q")
                .redirectOutput(dir.resolve("analyzer.out").toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("netpolicy list failed: " + Files.readString(err) + Files.readString(dir.resolve("analyzer.out")));
        }
        return Files.readString(out);
    }
}
