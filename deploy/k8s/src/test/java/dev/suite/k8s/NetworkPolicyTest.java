package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Evaluates the rendered NetworkPolicies the way Kubernetes does (a connection needs the sender's
 * egress and the receiver's ingress to allow it, where policies select them) for every pair of peers
 * on every port below, and requires the allowed set to be exactly the graph of
 * deploy/network/allowed-connections.txt: nothing missing, nothing more.
 */
class NetworkPolicyTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;

    /** The whole allowed graph, the suite's one list (deploy/network): anything not listed there must be denied. */
    static final String GRAPH = Repo.read(Repo.ROOT.resolve("deploy/network/allowed-connections.txt"));
    /** What the prod overlay's replicated data tier adds to it (a CloudNativePG Cluster, Redis with Sentinels). */
    static final String PROD_GRAPH = Repo.read(Repo.ROOT.resolve("deploy/network/allowed-connections-prod.txt"));

    /** Quarkus's management interface (quarkus.management.port in %prod): health, metrics, OpenAPI. */
    static final String MANAGEMENT_PORT = "9000/tcp";

    /** Every port tried between every pair of peers. */
    static final List<String> PORTS = List.of("53/udp", "53/tcp", "80/tcp", "443/tcp", "465/tcp", "587/tcp", "5432/tcp", "6379/tcp",
            "6443/tcp", "8000/tcp", "8080/tcp", "8081/tcp", "8082/tcp", "8200/tcp", "8443/tcp", "26379/tcp", MANAGEMENT_PORT);

    /** A pod somewhere: in the suite's namespace (its workloads) or in another one. */
    record Peer(String name, String namespace, Map<String, String> labels) {
        boolean inSuite() {
            return namespace.equals("suite");
        }

        Map<String, String> namespaceLabels() {
            return Map.of("kubernetes.io/metadata.name", namespace);
        }
    }

    /** Peers outside the suite, labelled as their usual Helm charts / distributions label them. */
    static final List<Peer> OUTSIDERS = List.of(
            // The proxy Envoy Gateway runs for the suite's Gateway "suite" (base/gateway-api), in the controller's namespace.
            new Peer("ingress-controller", "envoy-gateway-system", IngressPathTest.proxyLabels("suite")),
            // The proxy of another team's Gateway, beside ours: not ours to trust.
            new Peer("other-gateway-proxy", "envoy-gateway-system", IngressPathTest.proxyLabels("other-team")),
            new Peer("vault", "vault", Map.of("app.kubernetes.io/name", "vault")),
            new Peer("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns")),
            new Peer("monitoring", "monitoring", Map.of("app.kubernetes.io/name", "prometheus")),
            // The SMTP relay the auth service hands its mail to (base/network-policies.yaml).
            new Peer("smtp-relay", "mail", Map.of("app.kubernetes.io/name", "smtp-relay")),
            // CloudNativePG's operator, as its Helm chart labels it: it drives the Cluster's instances (prod).
            new Peer("cnpg-operator", "cnpg-system", Map.of("app.kubernetes.io/name", "cloudnative-pg")),
            new Peer("other-namespace", "default", Map.of("app.kubernetes.io/name", "gateway")),
            new Peer("stray-pod", "suite", Map.of("run", "debug")));

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theRenderedPoliciesAllowExactlyTheGraph(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        List<Peer> peers = new ArrayList<>(OUTSIDERS);
        peers.addAll(workloads(r));
        List<JsonNode> policies = r.all("NetworkPolicy").toList();

        Set<String> allowed = new TreeSet<>();
        for (Peer from : peers) {
            for (Peer to : peers) {
                // A workload to itself too: one replica to another (Redis and PostgreSQL replication).
                if (!from.inSuite() && !to.inSuite()) {
                    continue;
                }
                for (String port : PORTS) {
                    if (allows(policies, from, to, port)) {
                        allowed.add(from.name() + " -> " + to.name() + ":" + port);
                    }
                }
            }
        }
        assertThat(allowed).containsExactlyInAnyOrderElementsOf(expected(overlay));
    }

    /**
     * The suite's pods as peers: every rendered pod template, and in prod the CloudNativePG Cluster's instances, which
     * its operator creates (no template here) with these labels, under the Cluster's name.
     */
    static List<Peer> workloads(Rendered r) {
        List<Peer> peers = new ArrayList<>();
        for (Rendered.Pod pod : r.pods()) {
            peers.add(new Peer(pod.name(), "suite", labelsOf(pod)));
        }
        r.all("Cluster").forEach(cluster -> peers.add(new Peer(cluster.path("metadata").path("name").asText(), "suite", cnpgInstanceLabels(cluster))));
        return peers;
    }

    /** The labels CloudNativePG (1.25+) puts on each instance pod of a Cluster. */
    static Map<String, String> cnpgInstanceLabels(JsonNode cluster) {
        String name = cluster.path("metadata").path("name").asText();
        return Map.of("cnpg.io/cluster", name, "cnpg.io/podRole", "instance", "cnpg.io/instanceName", name + "-1",
                "app.kubernetes.io/name", "postgresql", "app.kubernetes.io/instance", name,
                "app.kubernetes.io/component", "database", "app.kubernetes.io/managed-by", "cloudnative-pg");
    }

    /**
     * The attack on the one address rule: the database instances' way out to the object storage and the Kubernetes API
     * (no pod to select) opening another port, or another workload getting a rule by address. Only egress, only from
     * the Cluster's instances, only 443 and 6443.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theOnlyRuleByAddressIsTheDatabaseInstancesWayToObjectStorageAndTheApi(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        List<String> addressRules = new ArrayList<>();
        for (JsonNode p : r.all("NetworkPolicy").toList()) {
            for (String direction : List.of("ingress", "egress")) {
                Rendered.stream(p.path("spec").path(direction)).forEach(rule -> {
                    if (Rendered.stream(rule.path(direction.equals("ingress") ? "from" : "to")).anyMatch(peer -> peer.has("ipBlock"))) {
                        addressRules.add(name(p) + " " + direction + " " + Rendered.stream(rule.path("ports"))
                                .map(port -> port.path("port").asText()).toList() + " selecting " + p.path("spec").path("podSelector"));
                    }
                });
            }
        }
        List<String> expected = r.all("Cluster").map(c -> "NetworkPolicy postgres-instances egress [443, 6443] selecting {\"matchLabels\":{\"cnpg.io/cluster\":\""
                + c.path("metadata").path("name").asText() + "\"}}").toList();
        assertThat(addressRules).as(overlay).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * The attack: the Ingress controller (which any internet client drives), another service of the suite or a pod
     * elsewhere reads a service's metrics or health details. Only the monitoring namespace may open the management
     * port; the kubelet's probes are not subject to NetworkPolicies.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theManagementPortIsReachableFromTheMonitoringNamespaceOnly(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        List<Peer> peers = new ArrayList<>(OUTSIDERS);
        peers.addAll(workloads(r));
        List<JsonNode> policies = r.all("NetworkPolicy").toList();
        for (String service : Rendered.SERVICES) {
            Peer target = peers.stream().filter(p -> p.inSuite() && p.name().equals(service)).findFirst().orElseThrow();
            List<String> allowed = peers.stream().filter(from -> from != target)
                    .filter(from -> allows(policies, from, target, MANAGEMENT_PORT)).map(Peer::name).toList();
            assertThat(allowed).as(service + ":" + MANAGEMENT_PORT).containsExactly("monitoring");
        }
        Peer ingress = OUTSIDERS.get(0);
        Peer gateway = peers.stream().filter(p -> p.inSuite() && p.name().equals("gateway")).findFirst().orElseThrow();
        assertThat(ingress.name()).isEqualTo("ingress-controller");
        assertThat(allows(policies, ingress, gateway, MANAGEMENT_PORT)).as("the ingress controller -> gateway management").isFalse();
        assertThat(allows(policies, ingress, gateway, "8080/tcp")).as("the ingress controller -> gateway API").isTrue();
    }

    private static Map<String, String> labelsOf(Rendered.Pod pod) {
        Map<String, String> labels = new LinkedHashMap<>();
        pod.labels().fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theNamespaceDeniesEverythingByDefaultAndNoRuleUsesAddressesOrNamedPorts(String overlay) {
        List<JsonNode> policies = Rendered.overlay(overlay).all("NetworkPolicy").toList();
        assertThat(policies).anySatisfy(p -> {
            assertThat(p.path("spec").path("podSelector").isEmpty()).isTrue();
            assertThat(types(p)).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(p.path("spec").path("ingress").isEmpty()).isTrue();
            assertThat(p.path("spec").path("egress").isEmpty()).isTrue();
        });
        for (JsonNode p : policies) {
            for (String direction : List.of("ingress", "egress")) {
                Rendered.stream(p.path("spec").path(direction)).forEach(rule -> {
                    List<JsonNode> peers = Rendered.stream(rule.path(direction.equals("ingress") ? "from" : "to")).toList();
                    assertThat(peers).as(name(p) + ": every rule names its peers").isNotEmpty();
                    if (!name(p).equals("NetworkPolicy postgres-instances")) {   // its way out by address: the test above
                        assertThat(peers).allSatisfy(peer -> assertThat(peer.has("ipBlock")).as(name(p) + ": ipBlock").isFalse());
                    }
                    assertThat(Rendered.stream(rule.path("ports")).toList()).as(name(p) + ": every rule names its ports").isNotEmpty()
                            .allSatisfy(port -> assertThat(port.path("port").isInt()).as(name(p) + ": numeric port").isTrue());
                });
            }
        }
    }

    /** The graph an overlay must allow: the suite's list, and in prod its replicated data tier's additions. */
    static Set<String> expected(String overlay) {
        Set<String> edges = new TreeSet<>(edges(GRAPH));
        if (overlay.equals("prod")) {
            edges.addAll(edges(PROD_GRAPH));
        }
        return edges;
    }

    static Set<String> edges(String graph) {
        Set<String> edges = new TreeSet<>();
        graph.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(line -> {
            String[] cols = line.split("\\s+");
            for (int i = 2; i < cols.length; i++) {
                String port = cols[i].contains("/") ? cols[i] : cols[i] + "/tcp";
                edges.add(cols[0] + " -> " + cols[1] + ":" + port);
            }
        });
        return edges;
    }

    static boolean allows(List<JsonNode> policies, Peer from, Peer to, String port) {
        boolean egress = !from.inSuite() || directionAllows(policies, "Egress", from, to, port);
        boolean ingress = !to.inSuite() || directionAllows(policies, "Ingress", to, from, port);
        return egress && ingress;
    }

    /** Whether the policies selecting {@code subject} for this direction let {@code other} through (none selecting it: all pass). */
    static boolean directionAllows(List<JsonNode> policies, String direction, Peer subject, Peer other, String port) {
        boolean selected = false;
        for (JsonNode p : policies) {
            if (!types(p).contains(direction) || !selects(p.path("spec").path("podSelector"), subject.labels())) {
                continue;
            }
            selected = true;
            String rules = direction.equals("Ingress") ? "ingress" : "egress";
            String peers = direction.equals("Ingress") ? "from" : "to";
            for (JsonNode rule : (Iterable<JsonNode>) () -> Rendered.stream(p.path("spec").path(rules)).iterator()) {
                if (peerMatches(rule.path(peers), other) && portMatches(rule.path("ports"), port)) {
                    return true;
                }
            }
        }
        return !selected;
    }

    static boolean peerMatches(JsonNode peers, Peer peer) {
        if (!peers.isArray() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode p : peers) {
            if (p.has("ipBlock")) {
                continue;   // addresses are not pods; the other test forbids ipBlocks anyway
            }
            boolean namespaceOk = p.has("namespaceSelector")
                    ? selects(p.path("namespaceSelector"), peer.namespaceLabels())
                    : peer.inSuite();
            boolean podOk = !p.has("podSelector") || selects(p.path("podSelector"), peer.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    static boolean portMatches(JsonNode ports, String port) {
        if (!ports.isArray() || ports.isEmpty()) {
            return true;
        }
        String[] wanted = port.split("/");
        for (JsonNode p : ports) {
            boolean protocol = p.path("protocol").asText("TCP").equalsIgnoreCase(wanted[1]);
            boolean number = !p.has("port") || p.path("port").asText().equals(wanted[0]);
            if (protocol && number) {
                return true;
            }
        }
        return false;
    }

    /** A Kubernetes label selector: matchLabels and matchExpressions; empty selects everything. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        var it = selector.path("matchLabels").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expr : (Iterable<JsonNode>) () -> Rendered.stream(selector.path("matchExpressions")).iterator()) {
            String value = labels.get(expr.path("key").asText());
            List<String> values = Rendered.stream(expr.path("values")).map(JsonNode::asText).toList();
            boolean ok = switch (expr.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator " + expr);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static List<String> types(JsonNode policy) {
        JsonNode types = policy.path("spec").path("policyTypes");
        if (types.isArray() && !types.isEmpty()) {
            return Rendered.stream(types).map(JsonNode::asText).toList();
        }
        // Kubernetes' default: Ingress always, Egress when the policy has egress rules.
        return policy.path("spec").has("egress") ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private static String name(JsonNode o) {
        return "NetworkPolicy " + o.path("metadata").path("name").asText();
    }
}
