package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The way in from outside (issue 18, item 7): Kubernetes Gateway API, implemented by Envoy Gateway. The attacks are on
 * the rendered overlays: a route that reaches anything but the gateway Service's API port, a plain-http listener that
 * serves the app instead of redirecting, a route from another namespace attached to our Gateway, and a client that
 * chooses its own rate-limit bucket because the gateway believes an X-Forwarded-For it wrote itself (the proxy appends
 * to the client's header, or the trusted network holds pods other than the proxy's). The gateway's side, that an
 * untrusted peer's header changes nothing, is the gateway's VaultProfileTest.
 */
class IngressPathTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;

    /** Where Envoy Gateway's controller runs the proxies of every Gateway (its default, the Helm chart's namespace). */
    static final String PROXY_NAMESPACE = "envoy-gateway-system";

    static final Set<String> ROUTE_KINDS = Set.of("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The labels Envoy Gateway puts on the proxy pods of Gateway {@code name} of the suite's namespace. */
    static Map<String, String> proxyLabels(String gatewayName) {
        return Map.of("app.kubernetes.io/name", "envoy", "app.kubernetes.io/component", "proxy",
                "gateway.envoyproxy.io/owning-gateway-name", gatewayName, "gateway.envoyproxy.io/owning-gateway-namespace", "suite");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyRouteLeadsToTheGatewayServicesApiPortOnly(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        assertThat(r.all("Ingress").toList()).as("no Ingress beside the Gateway: one way in").isEmpty();
        assertThat(r.all("ReferenceGrant").toList()).as("no route of another namespace may name our Services").isEmpty();
        JsonNode gateway = theGateway(r);
        for (JsonNode listener : (Iterable<JsonNode>) () -> Rendered.stream(gateway.path("spec").path("listeners")).iterator()) {
            assertThat(listener.path("allowedRoutes").path("namespaces").path("from").asText())
                    .as("listener %s: only this namespace's routes attach", listener.path("name").asText()).isEqualTo("Same");
        }
        List<JsonNode> routes = routes(r);
        assertThat(routes).as("the routes").isNotEmpty();
        for (JsonNode route : routes) {
            String where = route.path("kind").asText() + " " + route.path("metadata").path("name").asText();
            assertThat(route.path("kind").asText()).as(where).isEqualTo("HTTPRoute");
            assertThat(Rendered.stream(route.path("spec").path("parentRefs")).toList()).as(where + " parents").isNotEmpty()
                    .allSatisfy(parent -> {
                        assertThat(parent.path("kind").asText("Gateway")).isEqualTo("Gateway");
                        assertThat(parent.path("name").asText()).isEqualTo(gateway.path("metadata").path("name").asText());
                        assertThat(parent.path("namespace").asText("suite")).isEqualTo("suite");
                    });
            Rendered.stream(route.path("spec").path("rules")).flatMap(rule -> Rendered.stream(rule.path("backendRefs")))
                    .forEach(backend -> {
                        assertThat(backend.path("group").asText("")).as(where + " backend group").isEmpty();
                        assertThat(backend.path("kind").asText("Service")).as(where + " backend kind").isEqualTo("Service");
                        assertThat(backend.path("namespace").asText("suite")).as(where + " backend namespace").isEqualTo("suite");
                        assertThat(backend.path("name").asText()).as(where + " backend").isEqualTo("gateway");
                        assertThat(backend.path("port").asInt()).as(where + " backend port").isEqualTo(8080);
                    });
            // A filter can send a request elsewhere too: mirror it, hand it to an implementation's extension, or
            // redirect the browser to another host (an open redirect). Only redirects to https on our own host.
            String host = publicHost(r);
            Rendered.stream(route.path("spec").path("rules")).flatMap(rule -> Rendered.stream(rule.path("filters"))).forEach(filter -> {
                assertThat(filter.path("type").asText()).as(where + " filter").isEqualTo("RequestRedirect");
                JsonNode redirect = filter.path("requestRedirect");
                assertThat(redirect.path("scheme").asText()).as(where + " redirects to").isEqualTo("https");
                assertThat(redirect.path("hostname").asText(host)).as(where + " redirects to").isEqualTo(host);
                assertThat(redirect.path("port").asInt(443)).as(where + " redirects to").isEqualTo(443);
            });
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void tlsEndsAtTheGatewayWithTheSuitesCertificateAndPlainHttpOnlyRedirects(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JsonNode gateway = theGateway(r);
        String host = publicHost(r);
        List<JsonNode> listeners = Rendered.stream(gateway.path("spec").path("listeners")).toList();
        assertThat(listeners).extracting(l -> l.path("name").asText() + " " + l.path("protocol").asText() + " " + l.path("port").asInt()
                + " " + l.path("hostname").asText()).containsExactlyInAnyOrder("https HTTPS 443 " + host, "http HTTP 80 " + host);
        JsonNode https = listeners.stream().filter(l -> l.path("protocol").asText().equals("HTTPS")).findFirst().orElseThrow();
        assertThat(https.path("tls").path("mode").asText()).isEqualTo("Terminate");
        assertThat(Rendered.stream(https.path("tls").path("certificateRefs")).map(c -> c.path("kind").asText("Secret") + "/" + c.path("name").asText()))
                .containsExactly("Secret/suite-gateway-tls");

        int servingHttps = 0;
        for (JsonNode route : routes(r)) {
            String where = "HTTPRoute " + route.path("metadata").path("name").asText();
            assertThat(Rendered.stream(route.path("spec").path("hostnames")).map(JsonNode::asText)).as(where + " hostnames").containsExactly(host);
            for (JsonNode parent : (Iterable<JsonNode>) () -> Rendered.stream(route.path("spec").path("parentRefs")).iterator()) {
                // A parent without sectionName or port attaches to every listener, port 80 included.
                String section = parent.path("sectionName").asText("");
                boolean plainHttp = section.isEmpty() && !parent.has("port") || section.equals("http") || parent.path("port").asInt() == 80;
                if (plainHttp) {
                    assertThat(Rendered.stream(route.path("spec").path("rules")).toList()).as(where + " on port 80").isNotEmpty()
                            .allSatisfy(rule -> {
                                assertThat(Rendered.stream(rule.path("backendRefs")).toList()).as(where + ": port 80 serves nothing").isEmpty();
                                assertThat(Rendered.stream(rule.path("filters"))
                                        .filter(f -> f.path("type").asText().equals("RequestRedirect"))
                                        .map(f -> f.path("requestRedirect").path("scheme").asText()).toList())
                                        .as(where + ": port 80 redirects to https").containsExactly("https");
                            });
                } else {
                    assertThat(section).as(where + " attaches to a listener by name").isEqualTo("https");
                    servingHttps++;
                }
            }
        }
        assertThat(servingHttps).as("one route serves https").isEqualTo(1);
    }

    /**
     * The gateway believes X-Forwarded-For only on connections from SUITE_INGRESS_PROXIES; the gateway NetworkPolicy
     * admits port 8080 only from the Gateway's proxy pods. Both must name the same source: the policy that exact
     * proxy (not the proxies of another Gateway beside it in the controller's namespace), and in production the
     * trusted network exactly those pods' IP pool, which no other workload's network overlaps.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theOnlyPodsThatReachTheGatewayAreTheOnesWhoseForwardedAddressItBelieves(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        String gatewayName = theGateway(r).path("metadata").path("name").asText();
        JsonNode policy = r.one("NetworkPolicy", "gateway");
        List<JsonNode> apiSources = Rendered.stream(policy.path("spec").path("ingress"))
                .filter(rule -> NetworkPolicyTest.portMatches(rule.path("ports"), "8080/tcp"))
                .flatMap(rule -> Rendered.stream(rule.path("from"))).toList();
        assertThat(apiSources).as("who may open the gateway's API port").hasSize(1);
        JsonNode source = apiSources.get(0);
        assertThat(source.has("ipBlock")).isFalse();
        assertThat(NetworkPolicyTest.selects(source.path("namespaceSelector"), Map.of("kubernetes.io/metadata.name", PROXY_NAMESPACE))).isTrue();
        assertThat(NetworkPolicyTest.selects(source.path("namespaceSelector"), Map.of("kubernetes.io/metadata.name", "suite"))).isFalse();
        assertThat(NetworkPolicyTest.selects(source.path("podSelector"), proxyLabels(gatewayName))).as("our Gateway's proxy").isTrue();
        assertThat(NetworkPolicyTest.selects(source.path("podSelector"), proxyLabels("other-team"))).as("another Gateway's proxy").isFalse();
        Map<String, String> ofAnotherNamespace = new java.util.HashMap<>(proxyLabels(gatewayName));
        ofAnotherNamespace.put("gateway.envoyproxy.io/owning-gateway-namespace", "other-team");
        assertThat(NetworkPolicyTest.selects(source.path("podSelector"), ofAnotherNamespace)).as("a Gateway of the same name elsewhere").isFalse();

        JsonNode config = r.configMap("suite-config").path("data");
        List<String> trusted = cidrs(config.path("SUITE_INGRESS_PROXIES").asText());
        List<String> pool = proxyPool(r);
        if (overlay.equals("prod")) {
            assertThat(pool).as("prod: the proxy pods' own IP pool (EnvoyProxy pod annotation)").isNotEmpty();
        }
        if (!pool.isEmpty()) {
            assertThat(trusted).as("SUITE_INGRESS_PROXIES = the proxy pods' IP pool").containsExactlyInAnyOrderElementsOf(pool);
            // No other workload of the suite may be given addresses from there.
            List<String> others = new java.util.ArrayList<>(cidrs(config.path("SUITE_GATEWAY_PROXIES").asText()));
            r.configMap("postgres-clients").path("data").fields().forEachRemaining(e -> others.addAll(Arrays.asList(e.getValue().asText().trim().split("\\s+"))));
            for (String mine : trusted) {
                for (String other : others) {
                    assertThat(ServiceSettingsTest.overlap(mine, other)).as("%s (the proxies) overlaps %s (another workload's network)", mine, other).isFalse();
                }
            }
        }
    }

    /**
     * The proxy must give the gateway the address it saw, and only that: Quarkus takes the first address of
     * X-Forwarded-For, and Envoy appends to the client's own header, so a client's "X-Forwarded-For: 198.51.100.7"
     * would become the address the gateway counts by. The client's header is removed before Envoy's own handling, no
     * hop in front of Envoy is trusted, and the client's address survives the cloud load balancer.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theProxyForwardsTheAddressItSawAndNeverTheClientsHeader(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JsonNode gateway = theGateway(r);
        JsonNode parameters = gateway.path("spec").path("infrastructure").path("parametersRef");
        assertThat(parameters.path("group").asText() + "/" + parameters.path("kind").asText()).isEqualTo("gateway.envoyproxy.io/EnvoyProxy");
        JsonNode proxy = r.one("EnvoyProxy", parameters.path("name").asText());

        List<JsonNode> policies = r.all("ClientTrafficPolicy").filter(p -> targets(p, gateway)).toList();
        assertThat(policies).as("a ClientTrafficPolicy for the Gateway").hasSize(1);
        JsonNode policy = policies.get(0).path("spec");
        assertThat(Rendered.stream(policy.path("headers").path("earlyRequestHeaders").path("remove")).map(h -> h.asText().toLowerCase()))
                .as("the client's own X-Forwarded-For is dropped before Envoy appends the address it saw").contains("x-forwarded-for", "forwarded");
        JsonNode detection = policy.path("clientIPDetection");
        assertThat(detection.path("xForwardedFor").path("numTrustedHops").asInt(0)).as("no hop before Envoy is trusted").isZero();
        assertThat(detection.has("customHeader")).as("no client-chosen header names the client").isFalse();

        boolean keepsSourceAddress = proxy.path("spec").path("provider").path("kubernetes").path("envoyService")
                .path("externalTrafficPolicy").asText().equals("Local");
        boolean proxyProtocol = policy.path("enableProxyProtocol").asBoolean(false) || policy.has("proxyProtocol");
        assertThat(keepsSourceAddress || proxyProtocol)
                .as("the client's address reaches the proxy: externalTrafficPolicy Local, or PROXY protocol from the load balancer").isTrue();
    }

    static JsonNode theGateway(Rendered r) {
        List<JsonNode> gateways = r.all("Gateway").toList();
        assertThat(gateways).as(r.overlay + ": one Gateway").hasSize(1);
        JsonNode gateway = gateways.get(0);
        assertThat(gateway.path("spec").path("gatewayClassName").asText()).as("Envoy Gateway's class").isEqualTo("eg");
        return gateway;
    }

    static List<JsonNode> routes(Rendered r) {
        return r.objects.stream().filter(o -> ROUTE_KINDS.contains(o.path("kind").asText())).toList();
    }

    /** The host of SUITE_PUBLIC_ORIGINS: the SPA's origin is the Gateway's host. */
    static String publicHost(Rendered r) {
        List<String> origins = cidrs(r.configMap("suite-config").path("data").path("SUITE_PUBLIC_ORIGINS").asText());
        assertThat(origins).hasSize(1);
        return java.net.URI.create(origins.get(0)).getHost();
    }

    /** The CIDRs of the IP pool the EnvoyProxy's pods are given (Calico's annotation), or none. */
    static List<String> proxyPool(Rendered r) {
        JsonNode parameters = theGateway(r).path("spec").path("infrastructure").path("parametersRef");
        String annotation = r.one("EnvoyProxy", parameters.path("name").asText()).path("spec").path("provider").path("kubernetes")
                .path("envoyDeployment").path("pod").path("annotations").path("cni.projectcalico.org/ipv4pools").asText("");
        if (annotation.isEmpty()) {
            return List.of();
        }
        try {
            return Rendered.stream(JSON.readTree(annotation)).map(JsonNode::asText).toList();
        } catch (IOException e) {
            throw new AssertionError("the ipv4pools annotation is not a JSON list: " + annotation, e);
        }
    }

    private static boolean targets(JsonNode policy, JsonNode gateway) {
        List<JsonNode> refs = new java.util.ArrayList<>(Rendered.stream(policy.path("spec").path("targetRefs")).toList());
        if (policy.path("spec").has("targetRef")) {
            refs.add(policy.path("spec").path("targetRef"));
        }
        return refs.stream().anyMatch(t -> t.path("kind").asText().equals("Gateway")
                && t.path("name").asText().equals(gateway.path("metadata").path("name").asText()));
    }

    private static List<String> cidrs(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
