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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: who may connect to the prod overlay's CloudNativePG Cluster, and as whom: its pg_hba is deploy/db's template
 * rendered with the overlay's networks (TLS and SCRAM only, each role from its own networks, everything else refused),
 * and its bootstrap SQL and managed roles give deploy/db's roles and grants and nothing more, with no password in the
 * manifest. Checked on the rendered overlay, then attacked on a changed copy (PostgresClusterTest.attack);
 * PostgresClusterBootstrapTest runs the SQL itself.
 */
class PostgresClusterAccessTest {

    @TempDir
    Path tmp;

    // --- pg_hba: deploy/db's template with the overlay's networks -----------------------------------------------------

    /**
     * deploy/db/pg_hba.conf rendered by the base's own render-pg-hba.sh with the overlay's postgres-clients networks,
     * without the "local" line (the operator writes its own local rules), whitespace-normalised.
     */
    List<String> expectedPgHba() throws IOException, InterruptedException {
        Path clients = Files.createDirectories(tmp.resolve("clients"));
        PostgresConfigTest.networks(PostgresClusterTest.prod()).forEach((name, cidrs) -> {
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
                .map(PostgresClusterAccessTest::normalise).toList();
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
        assertThat(pgHbaProblems(PostgresClusterTest.cluster(), expected)).isEmpty();

        Map<String, List<String>> networks = PostgresConfigTest.networks(PostgresClusterTest.prod());
        String authNetwork = networks.get("auth_clients").get(0);
        String usersNetwork = networks.get("users_clients").get(0);
        PostgresClusterTest.attack("users_app admitted from the auth service's network", c -> replaceRule(c,
                "hostssl users +users_app " + usersNetwork, "hostssl users +users_app " + authNetwork), k -> pgHbaProblems(k, expected));
        PostgresClusterTest.attack("a role admitted without TLS", c -> replaceRule(c, "hostssl auth +auth_app " + authNetwork, "host auth +auth_app " + authNetwork),
                k -> pgHbaProblems(k, expected));
        PostgresClusterTest.attack("a role admitted without a password", c -> replaceRule(c, "scram-sha-256", "trust"), k -> pgHbaProblems(k, expected));
        PostgresClusterTest.attack("no final reject", c -> {
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
        assertThat(privilegeProblems(PostgresClusterTest.cluster())).isEmpty();
        PostgresClusterTest.attack("users_app may connect to the auth database", c -> appendSql(c, "postInitApplicationSQL",
                "GRANT CONNECT ON DATABASE auth TO users_app"), PostgresClusterAccessTest::privilegeProblems);
        PostgresClusterTest.attack("users_app may not use its schema", c -> removeSql(c, "GRANT USAGE ON SCHEMA users TO users_app"),
                PostgresClusterAccessTest::privilegeProblems);
        PostgresClusterTest.attack("the users schema left in template1, so in the auth database", c -> removeSql(c, "DROP SCHEMA users"),
                PostgresClusterAccessTest::privilegeProblems);
        PostgresClusterTest.attack("an app role that may run DDL anywhere", c -> appendSql(c, "postInitSQL", "ALTER ROLE auth_app CREATEDB"),
                PostgresClusterAccessTest::privilegeProblems);
        PostgresClusterTest.attack("a password committed", c -> appendSql(c, "postInitSQL", "ALTER ROLE vault_admin PASSWORD 'changeme'"),
                PostgresClusterAccessTest::privilegeProblems);
        PostgresClusterTest.attack("a managed superuser", c -> ((ObjectNode) c.with("spec").with("managed").withArray("roles").get(1)).put("superuser", true),
                PostgresClusterAccessTest::privilegeProblems);
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
}
