package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.k8s.Rendered.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every non-secret setting a service's %prod (or, for a migration Job, %migrate) configuration expects from the
 * environment (a {@code ${suite.x-y}} without default, i.e. SUITE_X_Y) reaches its pod: a literal env var or the
 * suite-config ConfigMap. Secrets are Vault keys (no "suite." prefix) and are checked by the services' vault tests.
 */
class ServiceSettingsTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    /** Pod (Deployment or Job) -> the service whose configuration it runs, and the profile. */
    static final Map<String, List<String>> WORKLOADS = Map.of(
            "auth-service", List.of("auth-service", "prod"),
            "user-service", List.of("user-service", "prod"),
            "gateway", List.of("gateway", "prod"),
            "auth-migrations", List.of("auth-service", "migrate"),
            "users-migrations", List.of("user-service", "migrate"));
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(suite\\.[a-z0-9.-]+)}");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everySettingTheServicesReadFromTheEnvironmentIsProvided(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JsonNode suiteConfig = r.configMap("suite-config").path("data");
        for (Pod pod : r.pods()) {
            List<String> workload = WORKLOADS.get(pod.name());
            if (workload == null) {
                continue;
            }
            JsonNode container = pod.containers().findFirst().orElseThrow();
            assertThat(Rendered.stream(container.path("envFrom")).map(e -> e.path("configMapRef").path("name").asText()))
                    .as(pod.name() + " reads suite-config").anyMatch(name -> name.startsWith("suite-config"));
            Map<String, String> environment = new HashMap<>();
            suiteConfig.fields().forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
            Rendered.stream(container.path("env")).forEach(e -> environment.put(e.path("name").asText(), e.path("value").asText()));
            for (String key : references(workload.get(0), workload.get(1))) {
                String variable = key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
                assertThat(environment.get(variable)).as(overlay + ": " + pod.name() + " needs " + variable + " (" + key + ")").isNotBlank();
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theGatewayAllowsOnlyHttpsOriginsAndTrustsForwardingHeadersOnlyFromAProxyNetwork(String overlay) {
        JsonNode config = Rendered.overlay(overlay).configMap("suite-config").path("data");
        assertThat(config.path("SUITE_PUBLIC_ORIGINS").asText().split(",")).allSatisfy(origin -> assertThat(origin.trim())
                .matches("https://[a-z0-9.-]+(:[0-9]+)?"));
        for (String proxies : List.of("SUITE_INGRESS_PROXIES", "SUITE_GATEWAY_PROXIES")) {
            assertThat(config.path(proxies).asText().split(",")).as(proxies).allSatisfy(proxy -> assertThat(proxy.trim())
                    .matches("[0-9a-f.:]+(/[0-9]{1,3})?").isNotIn("0.0.0.0/0", "::/0"));
        }
    }

    /**
     * The auth service believes X-Forwarded-For from the gateway's pods only: in the production overlay that network
     * must not take in the ingress controller's, or whatever runs there could name any client address it likes.
     */
    @org.junit.jupiter.api.Test
    void inProductionTheGatewaysNetworkIsNotTheIngresss() {
        JsonNode config = Rendered.overlay("prod").configMap("suite-config").path("data");
        for (String gateway : config.path("SUITE_GATEWAY_PROXIES").asText().split(",")) {
            for (String ingress : config.path("SUITE_INGRESS_PROXIES").asText().split(",")) {
                assertThat(overlap(gateway.trim(), ingress.trim())).as("%s overlaps %s", gateway, ingress).isFalse();
            }
        }
    }

    /** Whether two IPv4 CIDRs (or addresses) share an address. */
    static boolean overlap(String a, String b) {
        int prefix = Math.min(prefixOf(a), prefixOf(b));
        long mask = prefix == 0 ? 0 : 0xffffffffL << (32 - prefix) & 0xffffffffL;
        return (ipv4(a) & mask) == (ipv4(b) & mask);
    }

    private static int prefixOf(String cidr) {
        return cidr.contains("/") ? Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)) : 32;
    }

    private static long ipv4(String cidr) {
        long value = 0;
        for (String part : cidr.split("/")[0].split("\\.")) {
            value = value << 8 | Integer.parseInt(part);
        }
        return value;
    }

    /**
     * Tokens name their issuer, and every verifier must expect the same one: each service reads it from the one setting
     * that says where the auth service is (SUITE_AUTH_URL, in suite-config for every pod), in every profile, so a
     * standard client given the issuer finds the auth service's metadata there.
     */
    @org.junit.jupiter.api.Test
    void everyServiceTrustsTheAuthServicesUrlAsTheIssuer() {
        for (String service : List.of("auth-service", "user-service", "gateway")) {
            List<String> issuerLines = Repo.configurationOf(service).stream().flatMap(file -> Repo.read(file).lines())
                    .map(String::trim).filter(line -> line.matches("(%[a-z,]+\\.)?token-guard\\.issuer\\s*=.*")).toList();
            assertThat(issuerLines).as(service).containsExactly("token-guard.issuer=${suite.auth.url}");
        }
        for (String overlay : OVERLAYS) {
            assertThat(Rendered.overlay(overlay).configMap("suite-config").path("data").path("SUITE_AUTH_URL").asText())
                    .as(overlay).matches("https://[a-z0-9.-]+(:[0-9]+)?"); // internal TLS: InternalTlsTest
        }
    }

    /**
     * The suite.* keys without default on the lines of PROFILE (or lines shared with it, %prod,migrate) and unprofiled
     * lines, in the service's own file and in the settings every service shares; a key those lines give a value of
     * their own (suite.tls.cert-file: where the pod's certificate is mounted) needs nothing from the environment.
     */
    static Set<String> references(String service, String profile) {
        Set<String> keys = new TreeSet<>();
        Set<String> defined = new TreeSet<>();
        List<String> lines = Repo.configurationOf(service).stream().flatMap(file -> Repo.read(file).lines()).toList();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("%") && !List.of(trimmed.substring(1, trimmed.indexOf('.')).split(",")).contains(profile)) {
                continue;
            }
            if (trimmed.contains("=")) {
                String key = trimmed.substring(0, trimmed.indexOf('='));
                defined.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
            }
            Matcher m = REFERENCE.matcher(trimmed);
            while (m.find()) {
                keys.add(m.group(1));
            }
        }
        keys.removeAll(defined);
        return keys;
    }
}
