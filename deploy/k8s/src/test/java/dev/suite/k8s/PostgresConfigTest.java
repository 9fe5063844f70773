package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.k8s.Rendered.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The single PostgreSQL (dev overlay) runs from deploy/db's own files: TLS only, pg_hba rendered per service network. */
class PostgresConfigTest {

    /** The overlays that run the single StatefulSet; prod runs a CloudNativePG Cluster (PostgresClusterTest). */
    static final List<String> OVERLAYS = List.of("dev");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theServerGetsDeployDbsFilesUnchanged(String overlay) {
        JsonNode data = Rendered.overlay(overlay).configMap("postgres-db-files").path("data");
        for (String file : List.of("init.sql", "pg_hba.conf", "postgresql.conf")) {
            assertThat(data.path(file).asText()).as(file).isEqualTo(Repo.read(Repo.DB.resolve(file)));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theServerReadsItsConfigurationThroughTheK8sFileAndItsCertificateFromASecret(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        Pod pod = r.pod("StatefulSet", "postgres");
        JsonNode server = container(pod, "postgres");
        assertThat(Rendered.stream(server.path("args")).map(JsonNode::asText).toList())
                .containsSubsequence("-c", "config_file=/etc/suite-db/k8s/postgresql.k8s.conf");
        String conf = r.configMap("postgres-k8s").path("data").path("postgresql.k8s.conf").asText();
        assertThat(conf).contains("include '/etc/suite-db/files/postgresql.conf'")
                .contains("hba_file = '/run/suite-db/pg_hba.conf'")
                .contains("ssl_cert_file = '/etc/suite-db/tls/tls.crt'")
                .contains("ssl_key_file = '/etc/suite-db/tls/tls.key'")
                .doesNotContainPattern("(?m)^\\s*ssl\\s*=")                      // ssl = on comes from deploy/db
                .doesNotContainPattern("(?m)^\\s*ssl_min_protocol_version")
                .doesNotContainPattern("(?m)^\\s*password_encryption");
        assertThat(mountPath(server, "k8s-files")).isEqualTo("/etc/suite-db/k8s");
        assertThat(mountPath(server, "db-files")).isEqualTo("/etc/suite-db/files");
        assertThat(mountPath(server, "rendered")).isEqualTo("/run/suite-db");
        assertThat(mountPath(server, "tls")).isEqualTo("/etc/suite-db/tls");
        assertThat(mountPath(server, "initdb")).isEqualTo("/docker-entrypoint-initdb.d");

        JsonNode tls = volume(pod, "tls").path("secret");
        assertThat(tls.path("secretName").asText()).isEqualTo("postgres-tls");
        assertThat(tls.path("defaultMode").asInt()).as("0640: the server refuses a key readable by others").isEqualTo(0640);
        assertThat(pod.spec().path("securityContext").path("fsGroup").asInt()).isEqualTo(999);
        assertThat(volume(pod, "bootstrap").path("secret").path("secretName").asText()).isEqualTo("postgres-bootstrap");
    }

    /**
     * Issue 18, item 6: a renewed postgres-tls Secret is served without a restart. The sidecar runs the repository's
     * reload-on-renewal.sh (which deploy/local/stack's PostgresCertificateReloadTest runs against a real server) on
     * the very files postgresql.k8s.conf names, and reloads through the server's own unix socket as the postgres user,
     * whom pg_hba lets in there by peer authentication only: no shared process namespace (which would open the
     * server's files and secrets to it), no password, no network.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void aSidecarReloadsTheServerWhenItsCertificateIsRenewed(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        Pod pod = r.pod("StatefulSet", "postgres");
        JsonNode server = container(pod, "postgres");
        JsonNode reloader = container(pod, "cert-reloader");
        assertThat(r.configMap("postgres-k8s").path("data").path("reload-on-renewal.sh").asText())
                .isEqualTo(Repo.read(Repo.K8S.resolve("base/tls/reload-on-renewal.sh")));
        String tls = mountPath(reloader, "tls");
        String socket = mountPath(reloader, "socket");
        assertThat(Rendered.stream(reloader.path("command")).map(JsonNode::asText).toList()).containsExactly("sh",
                mountPath(reloader, "k8s-files") + "/reload-on-renewal.sh", "60", tls + "/tls.crt", tls + "/tls.key",
                "psql", "-X", "-h", socket, "-U", "postgres", "-d", "postgres", "-Atqc", "SELECT pg_reload_conf()");
        String conf = r.configMap("postgres-k8s").path("data").path("postgresql.k8s.conf").asText();
        assertThat(conf).contains("ssl_cert_file = '" + tls + "/tls.crt'").contains("ssl_key_file = '" + tls + "/tls.key'");
        assertThat(socket).as("the server's socket directory").isEqualTo(mountPath(server, "socket"));
        assertThat(Repo.read(Repo.DB.resolve("pg_hba.conf"))).containsPattern("(?m)^local\\s+all\\s+postgres\\s+peer\\s*$");
        assertThat(pod.spec().path("securityContext").path("runAsUser").asInt()).as("the image's postgres user").isEqualTo(999);
        assertThat(pod.spec().path("shareProcessNamespace").asBoolean(false)).as("no view into the server's processes").isFalse();
        assertThat(Rendered.stream(reloader.path("volumeMounts")).map(m -> m.path("name").asText()))
                .as("neither the data nor the bootstrap secrets").doesNotContain("data", "bootstrap");
        assertThat(reloader.path("securityContext").path("capabilities").path("drop").toString()).contains("ALL");
        assertThat(reloader.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theInitContainerRendersPgHbaWithTheOverlaysNetworks(String overlay) throws Exception {
        Rendered r = Rendered.overlay(overlay);
        Map<String, List<String>> networks = networks(r);
        String template = Repo.read(Repo.DB.resolve("pg_hba.conf"));
        Matcher placeholders = PLACEHOLDER.matcher(template);
        while (placeholders.find()) {
            assertThat(networks).as(overlay + " gives networks for {{" + placeholders.group(1) + "}}").containsKey(placeholders.group(1));
        }
        networks.forEach((name, cidrs) -> assertThat(cidrs).as(overlay + " " + name).isNotEmpty().allSatisfy(cidr -> {
            assertThat(cidr).matches("[0-9a-fA-F:.]+/[0-9]{1,3}");
            assertThat(cidr).as("never every address").doesNotEndWith("/0");
        }));

        Result result = renderPgHba(r, template, networks);
        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo(expectedPgHba(template, networks));
        assertThat(result.stdout().lines().filter(l -> !l.startsWith("#"))).as("every rule got its networks").noneMatch(l -> l.contains("{{"));
    }

    @Test
    void theRendererRefusesMissingOrMalformedNetworks() throws Exception {
        Rendered r = Rendered.overlay("dev");
        String template = Repo.read(Repo.DB.resolve("pg_hba.conf"));
        Map<String, List<String>> networks = networks(r);

        Map<String, List<String>> missing = new LinkedHashMap<>(networks);
        missing.remove("auth_clients");
        assertThat(renderPgHba(r, template, missing).stderr()).contains("no networks given for {{auth_clients}}");
        for (String bad : List.of("10.0.0.0", "samenet", "10.0.0.0/8x", "0.0.0.0/0;trust", "10.0.0.0/")) {
            Map<String, List<String>> malformed = new LinkedHashMap<>(networks);
            malformed.put("users_clients", List.of(bad));
            Result result = renderPgHba(r, template, malformed);
            assertThat(result.exit()).as(bad).isNotZero();
            assertThat(result.stdout()).as(bad).doesNotContain(bad);
        }
    }

    /** The same expansion deploy/local's DatabaseScripts does for loopback. */
    static String expectedPgHba(String template, Map<String, List<String>> networks) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            Matcher m = PLACEHOLDER.matcher(line);
            if (!m.find()) {
                out.append(line).append('\n');
                continue;
            }
            for (String cidr : networks.get(m.group(1))) {
                out.append(line.replace(m.group(), cidr)).append('\n');
            }
        }
        // split(-1) yields a last empty "line" after the template's final newline.
        return template.endsWith("\n") ? out.substring(0, out.length() - 1) : out.toString();
    }

    static Map<String, List<String>> networks(Rendered r) {
        Map<String, List<String>> networks = new LinkedHashMap<>();
        r.configMap("postgres-clients").path("data").fields()
                .forEachRemaining(e -> networks.put(e.getKey(), List.of(e.getValue().asText().strip().split("\\s+"))));
        return networks;
    }

    record Result(int exit, String stdout, String stderr) {
    }

    /** Runs the init container's command, with the script and template taken from the rendered ConfigMaps. */
    Result renderPgHba(Rendered r, String template, Map<String, List<String>> networks) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(tmp, "render");
        Path script = Files.writeString(dir.resolve("render-pg-hba.sh"),
                r.configMap("postgres-k8s").path("data").path("render-pg-hba.sh").asText());
        Path templateFile = Files.writeString(dir.resolve("pg_hba.conf"), template);
        Path clients = Files.createDirectory(dir.resolve("clients"));
        for (var e : networks.entrySet()) {
            Files.writeString(clients.resolve(e.getKey()), String.join(" ", e.getValue()));
        }
        Pod pod = r.pod("StatefulSet", "postgres");
        JsonNode init = Rendered.stream(pod.spec().path("initContainers")).findFirst().orElseThrow();
        List<String> command = new ArrayList<>(Rendered.stream(init.path("command")).map(JsonNode::asText).toList());
        assertThat(command).hasSize(3);
        command.set(2, command.get(2)
                .replace("/etc/suite-db/k8s/render-pg-hba.sh", script.toString())
                .replace("/etc/suite-db/files/pg_hba.conf", templateFile.toString())
                .replace("/etc/suite-db/clients", clients.toString())
                .replace("/run/suite-db/pg_hba.conf", dir.resolve("out").toString()));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("err").toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path out = dir.resolve("out");
        return new Result(p.exitValue(), Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "",
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    private static String mountPath(JsonNode container, String volume) {
        return Rendered.stream(container.path("volumeMounts")).filter(m -> m.path("name").asText().equals(volume))
                .map(m -> m.path("mountPath").asText()).findFirst().orElse(null);
    }

    private static JsonNode container(Pod pod, String name) {
        return pod.containers().filter(c -> c.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(pod.name() + " has no container " + name));
    }

    private static JsonNode volume(Pod pod, String name) {
        return Rendered.stream(pod.spec().path("volumes")).filter(v -> v.path("name").asText().equals(name)).findFirst().orElseThrow();
    }
}
