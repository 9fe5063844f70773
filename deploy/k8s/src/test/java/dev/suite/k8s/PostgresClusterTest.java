package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 25: the prod overlay's PostgreSQL is a CloudNativePG Cluster that keeps every rule deploy/db makes for the single
 * server (TLS 1.3 only with verify-full, the same roles and grants, the same pg_hba per network, the same settings) and
 * adds what one server lacks: three instances on three nodes, a synchronous replica, WAL archiving and scheduled base
 * backups. Each rule is checked on the rendered overlay and then attacked: the same check on a copy of the Cluster with
 * one thing changed must fail. No API server or operator runs here: the manifests are rendered and asserted, not applied.
 * Who may connect to what (pg_hba, roles, grants): PostgresClusterAccessTest.
 */
class PostgresClusterTest {

    static Rendered prod() {
        return Rendered.overlay("prod");
    }

    static JsonNode cluster() {
        List<JsonNode> clusters = prod().all("Cluster").toList();
        assertThat(clusters).as("prod renders one CloudNativePG Cluster").hasSize(1);
        assertThat(clusters.get(0).path("apiVersion").asText()).isEqualTo("postgresql.cnpg.io/v1");
        return clusters.get(0);
    }

    /** The same check on a copy of the rendered Cluster changed by {@code attack}: it must find something. */
    static void attack(String what, Consumer<ObjectNode> attack, java.util.function.Function<JsonNode, List<String>> check) {
        ObjectNode copy = cluster().deepCopy();
        attack.accept(copy);
        assertThat(check.apply(copy)).as("the attack: " + what).isNotEmpty();
    }

    @Test
    void onlyDevKeepsTheSingleStatefulSetAndProdRunsTheCluster() {
        Rendered dev = Rendered.overlay("dev");
        assertThat(dev.find("StatefulSet", "postgres")).isPresent();
        assertThat(dev.all("Cluster")).isEmpty();
        assertThat(prod().find("StatefulSet", "postgres")).as("prod: the base's StatefulSet is gone").isEmpty();
        assertThat(prod().find("Service", "postgres")).as("prod: and its Service").isEmpty();
        assertThat(cluster().path("metadata").path("namespace").asText()).isEqualTo("suite");
    }

    // --- three instances, spread, synchronous -----------------------------------------------------------------------

    static List<String> availabilityProblems(JsonNode cluster) {
        List<String> problems = new ArrayList<>();
        JsonNode spec = cluster.path("spec");
        if (spec.path("instances").asInt(1) < 3) {
            problems.add("fewer than 3 instances: " + spec.path("instances"));
        }
        JsonNode affinity = spec.path("affinity");
        if (!affinity.path("enablePodAntiAffinity").asBoolean(true) || !affinity.path("podAntiAffinityType").asText().equals("required")
                || !affinity.path("topologyKey").asText().equals("kubernetes.io/hostname")) {
            problems.add("instances may share a node: " + affinity);
        }
        if (!spec.path("enablePDB").asBoolean(true)) {
            problems.add("no PodDisruptionBudget");
        }
        JsonNode synchronous = spec.path("postgresql").path("synchronous");
        int number = synchronous.path("number").asInt(0);
        if (number < 1) {
            problems.add("asynchronous replication: an acknowledged commit can be lost in a failover");
        }
        if (!synchronous.path("dataDurability").asText("required").equals("required")) {
            problems.add("durability given up when no replica confirms: " + synchronous);
        }
        if (spec.path("instances").asInt(1) < number + 2) {
            problems.add("one replica's loss would stop every write: " + number + " synchronous of " + spec.path("instances"));
        }
        return problems;
    }

    @Test
    void threeInstancesOnThreeNodesAndNoAcknowledgedCommitLostInAFailover() {
        assertThat(availabilityProblems(cluster())).isEmpty();
        attack("two instances", c -> c.with("spec").put("instances", 2), PostgresClusterTest::availabilityProblems);
        attack("anti-affinity only preferred", c -> c.with("spec").with("affinity").put("podAntiAffinityType", "preferred"),
                PostgresClusterTest::availabilityProblems);
        attack("asynchronous replicas", c -> ((ObjectNode) c.with("spec").with("postgresql")).remove("synchronous"),
                PostgresClusterTest::availabilityProblems);
        attack("no disruption budget", c -> c.with("spec").put("enablePDB", false), PostgresClusterTest::availabilityProblems);
    }

    // --- TLS: the suite CA's certificate for the -rw name, verify-full ------------------------------------------------

    static List<String> tlsProblems(JsonNode cluster) {
        List<String> problems = new ArrayList<>();
        Rendered r = prod();
        String rw = cluster.path("metadata").path("name").asText() + "-rw.suite.svc";
        String host = r.configMap("suite-config").path("data").path("SUITE_PG_HOST").asText();
        if (!host.equals(rw)) {
            problems.add("the services connect to " + host + ", not the primary's Service " + rw);
        }
        JsonNode certificates = cluster.path("spec").path("certificates");
        String secret = certificates.path("serverTLSSecret").asText();
        JsonNode certificate = r.all("Certificate").filter(c -> c.path("spec").path("secretName").asText().equals(secret)).findFirst().orElse(null);
        if (certificate == null) {
            problems.add("no cert-manager Certificate issues the server's secret '" + secret + "'");
            return problems;
        }
        if (!certificates.path("serverCASecret").asText().equals(secret)) {
            problems.add("the CA the instances present is not the one that issued their certificate");
        }
        if (!certificate.path("spec").path("issuerRef").path("name").asText().equals("suite-internal-ca")) {
            problems.add("not the suite's CA: " + certificate.path("spec").path("issuerRef"));
        }
        if (Rendered.stream(certificate.path("spec").path("dnsNames")).noneMatch(n -> n.asText().equals(host))) {
            problems.add("the certificate does not name " + host + ": verify-full fails");
        }
        JsonNode parameters = cluster.path("spec").path("postgresql").path("parameters");
        if (!parameters.path("ssl_min_protocol_version").asText().equals("TLSv1.3")) {
            problems.add("ssl_min_protocol_version " + parameters.path("ssl_min_protocol_version"));
        }
        return problems;
    }

    @Test
    void clientsVerifyTheSuiteCasCertificateForThePrimarysServiceName() {
        assertThat(tlsProblems(cluster())).isEmpty();
        for (String service : List.of("auth-service", "user-service")) {
            assertThat(Repo.property(service, "prod", "quarkus.datasource.reactive.postgresql.ssl-mode")).isEqualTo("verify-full");
            assertThat(Repo.read(Repo.configurationOf(service).get(0))).as(service + ": Flyway's JDBC too")
                    .containsPattern("(?m)^%prod,migrate\\.quarkus\\.datasource\\.jdbc\\.url=jdbc:postgresql://\\$\\{suite\\.pg\\.host}:[^?]*\\?sslmode=verify-full&");
        }
        attack("a certificate of another issuer's secret", c -> c.with("spec").with("certificates").put("serverTLSSecret", "postgres-tls"),
                PostgresClusterTest::tlsProblems);
        attack("TLS 1.2 allowed", c -> c.with("spec").with("postgresql").with("parameters").put("ssl_min_protocol_version", "TLSv1.2"),
                PostgresClusterTest::tlsProblems);
        // A Cluster of another name: its -rw Service is not the name the services dial and the certificate holds.
        attack("the Cluster renamed", c -> c.with("metadata").put("name", "pg"), PostgresClusterTest::tlsProblems);
    }

    /** The attack: a service, a migration Job or Vault still pointed at the single server's host, gone in prod. */
    @Test
    void nothingInProdPointsAtTheSingleServersHost() {
        Rendered r = prod();
        String rendered = r.objects.toString();
        assertThat(rendered).as("prod names the base's single PostgreSQL nowhere").doesNotContain("postgres.suite.svc");
        for (Rendered.Pod pod : r.pods()) {
            pod.allContainers().forEach(c -> assertThat(Rendered.env(c, "SUITE_PG_HOST")).as(pod.name() + ": no host of its own").isNull());
        }
        for (String job : List.of("auth-migrations", "users-migrations")) {
            assertThat(r.pod("Job", job).containers().findFirst().orElseThrow().path("envFrom").toString()).as(job).contains("suite-config");
        }
        assertThat(Repo.read(Repo.K8S.resolve("README.md"))).as("Vault's database connection in prod (setup.sh database)")
                .contains("PG_HOST=postgres-rw.suite.svc PG_CA_FILE=");
        assertThat(Rendered.overlay("dev").configMap("suite-config").path("data").path("SUITE_PG_HOST").asText()).isEqualTo("postgres.suite.svc");
    }

    // --- server settings ---------------------------------------------------------------------------------------------

    static final List<String> SETTINGS = List.of("ssl_min_protocol_version", "password_encryption", "log_connections", "max_connections");

    static List<String> settingProblems(JsonNode cluster) {
        String conf = Repo.read(Repo.DB.resolve("postgresql.conf"));
        JsonNode parameters = cluster.path("spec").path("postgresql").path("parameters");
        List<String> problems = new ArrayList<>();
        for (String name : SETTINGS) {
            Matcher m = Pattern.compile("(?m)^\\s*" + name + "\\s*=\\s*'?([^'\\s#]+)'?").matcher(conf);
            assertThat(m.find()).as("deploy/db/postgresql.conf sets " + name).isTrue();
            if (!m.group(1).equals(parameters.path(name).asText())) {
                problems.add(name + " = " + parameters.path(name) + ", deploy/db says " + m.group(1));
            }
        }
        return problems;
    }

    @Test
    void theServerSettingsAreDeployDbs() {
        assertThat(settingProblems(cluster())).isEmpty();
        attack("connections logged no more", c -> c.with("spec").with("postgresql").with("parameters").put("log_connections", "off"),
                PostgresClusterTest::settingProblems);
        attack("max_connections past the budget's", c -> c.with("spec").with("postgresql").with("parameters").put("max_connections", "100"),
                PostgresClusterTest::settingProblems);
    }

    // --- archiving and backups ---------------------------------------------------------------------------------------

    static List<String> backupProblems(JsonNode cluster, List<JsonNode> scheduled) {
        List<String> problems = new ArrayList<>();
        JsonNode backup = cluster.path("spec").path("backup");
        JsonNode store = backup.path("barmanObjectStore");
        if (!store.path("destinationPath").asText().matches("(s3|gs|https)://.+")) {
            problems.add("no WAL archive: the Cluster archives nowhere");
        }
        for (JsonNode ref : List.of(store.path("s3Credentials").path("accessKeyId"), store.path("s3Credentials").path("secretAccessKey"))) {
            if (!ref.has("name") || !ref.has("key") || ref.size() != 2) {
                problems.add("object storage credentials not from a Secret: " + ref);
            }
        }
        if (prod().all("Secret").anyMatch(s -> s.path("metadata").path("name").asText().equals(store.path("s3Credentials").path("accessKeyId").path("name").asText()))) {
            problems.add("the credentials' Secret is committed");
        }
        if (!backup.path("retentionPolicy").asText().matches("\\d+[dwm]")) {
            problems.add("no retention policy");
        }
        String name = cluster.path("metadata").path("name").asText();
        if (scheduled.stream().noneMatch(b -> b.path("spec").path("cluster").path("name").asText().equals(name)
                && b.path("spec").path("method").asText("barmanObjectStore").equals("barmanObjectStore"))) {
            problems.add("no ScheduledBackup of " + name + " to its object store");
        }
        return problems;
    }

    @Test
    void walIsArchivedAndABaseBackupScheduledToObjectStorage() {
        List<JsonNode> scheduled = prod().all("ScheduledBackup").toList();
        assertThat(backupProblems(cluster(), scheduled)).isEmpty();
        assertThat(scheduled).allSatisfy(b -> assertThat(b.path("spec").path("schedule").asText().split(" "))
                .as("six fields, seconds first (CloudNativePG's cron)").hasSize(6));
        attack("a Cluster without archiving", c -> c.with("spec").remove("backup"), k -> backupProblems(k, scheduled));
        attack("credentials written in the manifest", c -> c.with("spec").with("backup").with("barmanObjectStore").with("s3Credentials")
                .put("accessKeyId", "AKIA..."), k -> backupProblems(k, scheduled));
        assertThat(backupProblems(cluster(), List.of())).as("the attack: no scheduled backup").isNotEmpty();
    }

    /** PostgreSQL's major version stays the base's (17): a new Cluster is initialised by the image's initdb. */
    @Test
    void theInstancesRunTheBasesMajorVersion() {
        String base = Rendered.overlay("dev").pod("StatefulSet", "postgres").containers().findFirst().orElseThrow().path("image").asText();
        String major = base.replaceFirst("^.*/postgres:(\\d+)@.*$", "$1");
        assertThat(cluster().path("spec").path("imageName").asText()).matches("ghcr\\.io/cloudnative-pg/postgresql:" + major + "([.@-].*)?");
    }
}
