package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: the prod overlay's PostgreSQL is a CloudNativePG Cluster that keeps every rule deploy/db makes for the single
 * server (TLS 1.3 only with verify-full, the same roles and grants, the same pg_hba per network, the same settings) and
 * adds what one server lacks: three instances on three nodes, a synchronous replica, WAL archiving and scheduled base
 * backups. Each rule is checked on the rendered overlay and then attacked: the same check on a copy of the Cluster with
 * one thing changed must fail. No API server or operator runs here: the manifests are rendered and asserted, not applied.
 */
class PostgresClusterTest {

    @TempDir
    Path tmp;

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

    // --- pg_hba: deploy/db's template with the overlay's networks -----------------------------------------------------

    /**
     * deploy/db/pg_hba.conf rendered by the base's own render-pg-hba.sh with the overlay's postgres-clients networks,
     * without the "local" line (the operator writes its own local rules), whitespace-normalised.
     */
    List<String> expectedPgHba() throws IOException, InterruptedException {
        Path clients = Files.createDirectories(tmp.resolve("clients"));
        PostgresConfigTest.networks(prod()).forEach((name, cidrs) -> {
            try {
                Files.writeString(clients.resolve(name), String.join(" ", cidrs));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Process p = new ProcessBuilder("sh", Repo.K8S.resolve("base/postgres/render-pg-hba.sh").toString(),
                Repo.DB.resolve("pg_hba.conf").toString(), clients.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("local"))
                .map(PostgresClusterTest::normalise).toList();
    }

    static String normalise(String rule) {
        return rule.strip().replaceAll("\\s+", " ");
    }

    static List<String> pgHbaProblems(JsonNode cluster, List<String> expected) {
        List<String> rules = Rendered.stream(cluster.path("spec").path("postgresql").path("pg_hba")).map(n -> normalise(n.asText())).toList();
        List<String> problems = new ArrayList<>();
        if (!rules.equals(expected)) {
            problems.add("pg_hba is not deploy/db's rendered with the overlay's networks:\n  " + String.join("\n  ", rules)
                    + "\nexpected\n  " + String.join("\n  ", expected));
        }
        for (String rule : rules) {
            String[] f = rule.split(" ");
            boolean rejects = f[f.length - 1].equals("reject");
            if (!rejects && !f[0].equals("hostssl")) {
                problems.add("a connection accepted without TLS: " + rule);
            }
            if (!rejects && !f[f.length - 1].equals("scram-sha-256")) {
                problems.add("a login without SCRAM: " + rule);
            }
        }
        if (rules.size() < 2 || !rules.get(rules.size() - 2).equals("host all all 0.0.0.0/0 reject")
                || !rules.get(rules.size() - 1).equals("host all all ::/0 reject")) {
            problems.add("the operator's default rule (any user, any address, scram) stays reachable: no final reject");
        }
        return problems;
    }

    @Test
    void pgHbaIsDeployDbsTemplateRenderedWithTheOverlaysNetworks() throws Exception {
        List<String> expected = expectedPgHba();
        assertThat(expected).as("the template's rules, each network of postgres-clients").hasSizeGreaterThan(8);
        assertThat(pgHbaProblems(cluster(), expected)).isEmpty();

        Map<String, List<String>> networks = PostgresConfigTest.networks(prod());
        String authNetwork = networks.get("auth_clients").get(0);
        String usersNetwork = networks.get("users_clients").get(0);
        attack("users_app admitted from the auth service's network", c -> replaceRule(c,
                "hostssl users +users_app " + usersNetwork, "hostssl users +users_app " + authNetwork), k -> pgHbaProblems(k, expected));
        attack("a role admitted without TLS", c -> replaceRule(c, "hostssl auth +auth_app " + authNetwork, "host auth +auth_app " + authNetwork),
                k -> pgHbaProblems(k, expected));
        attack("a role admitted without a password", c -> replaceRule(c, "scram-sha-256", "trust"), k -> pgHbaProblems(k, expected));
        attack("no final reject", c -> {
            ArrayNode hba = (ArrayNode) c.with("spec").with("postgresql").withArray("pg_hba");
            hba.remove(hba.size() - 1);
            hba.remove(hba.size() - 1);
        }, k -> pgHbaProblems(k, expected));
    }

    /** Rewrites the first pg_hba rule containing {@code what} (whitespace-normalised). */
    private static void replaceRule(ObjectNode cluster, String what, String with) {
        ArrayNode hba = (ArrayNode) cluster.with("spec").with("postgresql").withArray("pg_hba");
        for (int i = 0; i < hba.size(); i++) {
            String rule = normalise(hba.get(i).asText());
            if (rule.contains(what)) {
                hba.set(i, hba.textNode(rule.replace(what, with)));
                return;
            }
        }
        throw new AssertionError("no pg_hba rule contains " + what);
    }

    // --- roles, databases, grants: init.sql and vault-admin.sql --------------------------------------------------------

    /** The statements of a deploy/db SQL file, without comments, psql meta-commands or PASSWORD clauses, normalised. */
    static List<String> statements(String sql) {
        String code = sql.lines().map(l -> l.replaceFirst("--.*$", "")).filter(l -> !l.strip().startsWith("\\"))
                .reduce("", (a, b) -> a + "\n" + b);
        return Arrays.stream(code.split(";")).map(s -> normalise(s.replaceAll("(?i)\\s+PASSWORD\\s+:'[a-z_]+'", "")))
                .filter(s -> !s.isEmpty()).toList();
    }

    /** Every SQL statement the Cluster runs at bootstrap, in order (postgres, then template1, then the application database). */
    static List<String> bootstrapSql(JsonNode cluster) {
        JsonNode initdb = cluster.path("spec").path("bootstrap").path("initdb");
        List<String> sql = new ArrayList<>();
        for (String stage : List.of("postInitSQL", "postInitTemplateSQL", "postInitApplicationSQL")) {
            Rendered.stream(initdb.path(stage)).map(n -> normalise(n.asText())).forEach(sql::add);
        }
        return sql;
    }

    /**
     * What init.sql and vault-admin.sql do that the Cluster's bootstrap does differently, and why: the operator creates
     * the application database and its owner itself (the bootstrap then gives the database to postgres, as init.sql
     * has it), and its replication user (made after bootstrap) connects to database postgres for pg_rewind.
     */
    static final Map<String, String> DONE_OTHERWISE = Map.of(
            "CREATE ROLE auth_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
            "ALTER ROLE auth_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
            "CREATE DATABASE auth OWNER postgres ENCODING 'UTF8' TEMPLATE template0", "ALTER DATABASE auth OWNER TO postgres",
            "CREATE DATABASE users OWNER postgres ENCODING 'UTF8' TEMPLATE template0",
            "CREATE DATABASE users OWNER postgres ENCODING 'UTF8' TEMPLATE template1",
            "REVOKE ALL ON DATABASE postgres FROM PUBLIC", "");
    /** What the bootstrap does beyond them: the users database's block is staged in template1 and taken out again. */
    static final Set<String> STAGING = Set.of("ALTER DEFAULT PRIVILEGES FOR ROLE users_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC",
            "DROP SCHEMA users");

    static List<String> privilegeProblems(JsonNode cluster) {
        List<String> expected = new ArrayList<>();
        for (String file : List.of("init.sql", "vault-admin.sql")) {
            expected.addAll(statements(Repo.read(Repo.DB.resolve(file))));
        }
        List<String> actual = bootstrapSql(cluster);
        List<String> problems = new ArrayList<>();
        Set<String> accounted = new LinkedHashSet<>(STAGING);
        for (String statement : expected) {
            String instead = DONE_OTHERWISE.getOrDefault(statement, statement);
            accounted.add(instead);
            if (!instead.isEmpty() && !actual.contains(instead)) {
                problems.add("missing: " + instead + (instead.equals(statement) ? "" : " (for: " + statement + ")"));
            }
        }
        actual.stream().filter(s -> !accounted.contains(s)).forEach(s -> problems.add("not in deploy/db: " + s));
        actual.stream().filter(s -> s.toUpperCase().contains("PASSWORD")).forEach(s -> problems.add("a password in the manifest: " + s));
        // The users block is staged in template1 and must be out of it before the application database is copied from it.
        JsonNode initdb = cluster.path("spec").path("bootstrap").path("initdb");
        List<String> template = Rendered.stream(initdb.path("postInitTemplateSQL")).map(n -> normalise(n.asText())).toList();
        int copied = template.indexOf(DONE_OTHERWISE.get("CREATE DATABASE users OWNER postgres ENCODING 'UTF8' TEMPLATE template0"));
        for (String undo : STAGING) {
            if (copied < 0 || template.indexOf(undo) < copied) {
                problems.add("template1 keeps the users block into the auth database: " + undo);
            }
        }
        if (!initdb.path("database").asText().equals("auth") || !initdb.path("owner").asText().equals("auth_owner")) {
            problems.add("the operator's application database is not init.sql's auth of auth_owner: " + initdb.path("database"));
        }
        // The operator keeps the login roles' attributes as declared: never more than init.sql gives.
        Set<String> managed = new LinkedHashSet<>();
        for (JsonNode role : (Iterable<JsonNode>) () -> Rendered.stream(cluster.path("spec").path("managed").path("roles")).iterator()) {
            String name = role.path("name").asText();
            managed.add(name);
            for (String attribute : List.of("superuser", "createdb", "createrole", "replication", "bypassrls")) {
                if (role.path(attribute).asBoolean(false)) {
                    problems.add(name + " is " + attribute);
                }
            }
            if (!role.path("inRoles").isEmpty() || role.has("password") || !role.path("passwordSecret").has("name")) {
                problems.add(name + ": memberships or a password not from a Secret: " + role);
            }
        }
        if (!managed.equals(Set.of("auth_owner", "auth_app", "users_owner", "users_app"))) {
            problems.add("managed roles " + managed + ": vault_admin must not be one (the operator would revoke its ADMIN memberships)");
        }
        if (cluster.path("spec").path("enableSuperuserAccess").asBoolean(false)) {
            problems.add("the superuser can log in over the network");
        }
        return problems;
    }

    @Test
    void theRolesDatabasesAndGrantsAreDeployDbsWithoutAPasswordInTheManifest() {
        assertThat(privilegeProblems(cluster())).isEmpty();
        attack("users_app may connect to the auth database", c -> appendSql(c, "postInitApplicationSQL",
                "GRANT CONNECT ON DATABASE auth TO users_app"), PostgresClusterTest::privilegeProblems);
        attack("users_app may not use its schema", c -> removeSql(c, "GRANT USAGE ON SCHEMA users TO users_app"),
                PostgresClusterTest::privilegeProblems);
        attack("the users schema left in template1, so in the auth database", c -> removeSql(c, "DROP SCHEMA users"),
                PostgresClusterTest::privilegeProblems);
        attack("an app role that may run DDL anywhere", c -> appendSql(c, "postInitSQL", "ALTER ROLE auth_app CREATEDB"),
                PostgresClusterTest::privilegeProblems);
        attack("a password committed", c -> appendSql(c, "postInitSQL", "ALTER ROLE vault_admin PASSWORD 'changeme'"),
                PostgresClusterTest::privilegeProblems);
        attack("a managed superuser", c -> ((ObjectNode) c.with("spec").with("managed").withArray("roles").get(1)).put("superuser", true),
                PostgresClusterTest::privilegeProblems);
    }

    private static void appendSql(ObjectNode cluster, String stage, String sql) {
        cluster.with("spec").with("bootstrap").with("initdb").withArray(stage).add(sql);
    }

    private static void removeSql(ObjectNode cluster, String sql) {
        ObjectNode initdb = cluster.with("spec").with("bootstrap").with("initdb");
        for (String stage : List.of("postInitSQL", "postInitTemplateSQL", "postInitApplicationSQL")) {
            ArrayNode list = initdb.withArray(stage);
            for (int i = list.size() - 1; i >= 0; i--) {
                if (normalise(list.get(i).asText()).equals(sql)) {
                    list.remove(i);
                }
            }
        }
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
