package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.localstack.ScratchPostgres;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prod overlay's CloudNativePG Cluster bootstraps its databases with SQL of its own (PostgresClusterTest checks the
 * statements against deploy/db's); this runs that SQL on a real PostgreSQL (the local stack's binaries, single-user
 * mode) the way the operator does, runs deploy/db's init.sql and vault-admin.sql on another, and compares what they
 * leave: roles and their attributes, memberships (ADMIN, INHERIT, SET), databases and their privileges, per-database
 * role settings, schemas and their privileges, default privileges. The operator itself does not run here.
 */
class PostgresClusterBootstrapTest {

    @TempDir
    Path tmp;

    /** The catalog questions, each asked in the databases named, the answers compared between the two servers. */
    static final Map<String, List<String>> QUESTIONS = new LinkedHashMap<>();

    static {
        QUESTIONS.put("SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls,"
                + " rolconnlimit FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1", List.of("postgres"));
        QUESTIONS.put("SELECT r.rolname AS role, m.rolname AS member, admin_option, inherit_option, set_option FROM pg_auth_members a"
                + " JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname !~ '^pg_' ORDER BY 1, 2",
                List.of("postgres"));
        // One difference, on purpose (cluster.yaml): PUBLIC keeps CONNECT and TEMP on database postgres, where the
        // operator's replication user connects for pg_rewind.
        QUESTIONS.put("SELECT datname, pg_get_userbyid(datdba) AS owner, pg_encoding_to_char(encoding) AS encoding,"
                + " CASE WHEN datname = 'postgres' THEN array_remove(datacl, '=Tc/postgres'::aclitem)::text ELSE datacl::text END AS acl"
                + " FROM pg_database ORDER BY 1", List.of("postgres"));
        QUESTIONS.put("SELECT d.datname, r.rolname, s.setconfig::text FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
                + " JOIN pg_roles r ON r.oid = s.setrole ORDER BY 1, 2", List.of("postgres"));
        QUESTIONS.put("SELECT nspname, pg_get_userbyid(nspowner) AS owner, nspacl::text AS acl FROM pg_namespace"
                + " WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1", List.of("postgres", "auth", "users"));
        // template1's public schema stays closed in the Cluster (every later database starts closed); its other
        // contents must be back to what they were, or the users block would be copied into every new database.
        QUESTIONS.put("SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace"
                + " WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1", List.of("template1"));
        QUESTIONS.put("SELECT pg_get_userbyid(defaclrole) AS role, defaclnamespace::regnamespace::text AS schema, defaclobjtype,"
                + " defaclacl::text AS acl FROM pg_default_acl ORDER BY 1, 3", List.of("postgres", "template1", "auth", "users"));
    }

    @Test
    void theClustersBootstrapLeavesTheRolesDatabasesAndGrantsThatDeployDbLeaves() {
        ScratchPostgres single = ScratchPostgres.create(tmp.resolve("single"));
        single.applyDeployDb(Repo.DB, Map.of("auth_owner_password", "x", "auth_app_password", "x", "users_owner_password", "x",
                "users_app_password", "x", "vault_admin_password", "x"));
        ScratchPostgres cluster = bootstrapLikeTheOperator(PostgresClusterTest.cluster(), tmp.resolve("cluster"));
        Map<String, String> expected = answers(single);
        assertThat(String.join("", expected.values())).as("the answers hold the catalog, not nothing")
                .contains("rolname = \"vault_admin\"", "admin_option = \"t\"", "datname = \"users\"", "nspname = \"auth\"",
                        "setconfig = \"{search_path=users}\"", "defaclobjtype = \"f\"");
        assertThat(answers(cluster)).as("the Cluster's bootstrap against init.sql and vault-admin.sql").isEqualTo(expected);

        // The attack: one grant less (users_app could not use its schema) is seen.
        ObjectNode without = PostgresClusterTest.cluster().deepCopy();
        ArrayNode template = without.with("spec").with("bootstrap").with("initdb").withArray("postInitTemplateSQL");
        for (int i = 0; i < template.size(); i++) {
            if (template.get(i).asText().equals("GRANT USAGE ON SCHEMA users TO users_app")) {
                template.remove(i);
                break;
            }
        }
        assertThat(answers(bootstrapLikeTheOperator(without, tmp.resolve("attack")))).as("the attack: a grant missing").isNotEqualTo(expected);
    }

    /**
     * What CloudNativePG's instance manager does at an initdb bootstrap (pkg/management/postgres/initdb.go,
     * ConfigureNewInstance): the application owner role, postInitSQL in postgres, postInitTemplateSQL in template1, the
     * application database created from template1 for its owner, then postInitApplicationSQL in it; each statement
     * on its own, outside a transaction block.
     */
    static ScratchPostgres bootstrapLikeTheOperator(JsonNode cluster, Path dir) {
        JsonNode initdb = cluster.path("spec").path("bootstrap").path("initdb");
        String database = initdb.path("database").asText();
        String owner = initdb.path("owner").asText();
        ScratchPostgres server = ScratchPostgres.create(dir);
        server.run("postgres", List.of("CREATE ROLE \"" + owner + "\" LOGIN"));
        server.run("postgres", stage(initdb, "postInitSQL"));
        server.run("template1", stage(initdb, "postInitTemplateSQL"));
        server.run("postgres", List.of("CREATE DATABASE \"" + database + "\" OWNER \"" + owner + "\""));
        server.run(database, stage(initdb, "postInitApplicationSQL"));
        return server;
    }

    private static List<String> stage(JsonNode initdb, String name) {
        return Rendered.stream(initdb.path(name)).map(JsonNode::asText).toList();
    }

    /** Each question's answer in each of its databases, as single-user mode prints it (the same server version for both). */
    static Map<String, String> answers(ScratchPostgres server) {
        Map<String, String> answers = new LinkedHashMap<>();
        QUESTIONS.forEach((question, databases) -> databases.forEach(db -> answers.put(db + ": " + question,
                server.run(db, List.of(question)).lines().filter(l -> l.contains(" = ")).map(String::strip)
                        .map(l -> l.replaceFirst("\\s*\\(typeid = .*$", "")).reduce("", (a, b) -> a + b + "\n"))));
        return answers;
    }
}
