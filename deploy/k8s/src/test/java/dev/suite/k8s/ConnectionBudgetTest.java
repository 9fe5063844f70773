package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 18, item 4: the connections PostgreSQL may be asked for at the worst moment fit its max_connections, computed
 * from what is deployed rather than hoped. The worst moment is a rolling update during a migration: every replica of
 * each service plus its surge pod, each with a full reactive pool and a full JDBC pool (Flyway's, empty unless it runs,
 * counted anyway), both migration Jobs, Vault's database engine (its connection pool, which creates and drops the
 * short-lived users), the superuser slots PostgreSQL keeps, and a few for operators (psql, a backup, an exporter).
 */
class ConnectionBudgetTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    /** Services with a database, and the Job that migrates it. */
    private static final Map<String, String> MIGRATED_BY = Map.of("auth-service", "auth-migrations", "user-service", "users-migrations");
    /** psql sessions, a backup, a metrics exporter: never counted by anything above. */
    private static final int OPERATORS = 5;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void aRolloutDuringAMigrationFitsMaxConnections(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        StringBuilder breakdown = new StringBuilder();
        int total = 0;
        for (Map.Entry<String, String> service : MIGRATED_BY.entrySet()) {
            JsonNode spec = r.one("Deployment", service.getKey()).path("spec");
            int replicas = spec.path("replicas").asInt(1);
            int pods = replicas + surge(spec.path("strategy").path("rollingUpdate").path("maxSurge"), replicas);
            int perPod = setting(service.getKey(), "prod", "quarkus.datasource.reactive.max-size")
                    + setting(service.getKey(), "prod", "quarkus.datasource.jdbc.max-size");
            int job = r.one("Job", service.getValue()).path("spec").path("parallelism").asInt(1)
                    * setting(service.getKey(), "migrate", "quarkus.datasource.jdbc.max-size");
            total += pods * perPod + job;
            breakdown.append(String.format("%s %d pods x %d + job %d; ", service.getKey(), pods, perPod, job));
        }
        int vault = vaultPool();
        int reserved = postgresSetting("superuser_reserved_connections", 3) + postgresSetting("reserved_connections", 0);
        total += vault + reserved + OPERATORS;
        // The prod overlay's CloudNativePG Cluster sets it in its own parameters (PostgresClusterTest: the same as deploy/db's).
        int max = r.all("Cluster").findFirst().map(c -> c.path("spec").path("postgresql").path("parameters").path("max_connections").asInt())
                .orElseGet(() -> postgresSetting("max_connections", 100));
        System.out.printf("[connection-budget] %s: %svault %d, reserved %d, operators %d = %d of max_connections %d%n", overlay,
                breakdown, vault, reserved, OPERATORS, total, max);
        assertThat(total).as(overlay + ": " + breakdown).isLessThanOrEqualTo(max);
    }

    /** maxSurge as Kubernetes reads it: a count, or a percentage of the replicas rounded up (default 25%). */
    private static int surge(JsonNode maxSurge, int replicas) {
        String value = maxSurge.isMissingNode() ? "25%" : maxSurge.asText();
        return value.endsWith("%") ? (int) Math.ceil(replicas * Integer.parseInt(value.substring(0, value.length() - 1)) / 100.0)
                : Integer.parseInt(value);
    }

    private static int setting(String service, String profile, String key) {
        return Integer.parseInt(Repo.property(service, profile, key));
    }

    /** Vault's pool towards PostgreSQL, as setup.sh configures the connection (explicitly: Vault's default could change). */
    private static int vaultPool() {
        Matcher m = Pattern.compile("max_open_connections=(\\d+)").matcher(Repo.read(Repo.VAULT.resolve("setup.sh")));
        assertThat(m.find()).as("setup.sh sets max_open_connections of database/config/suite-postgres").isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** A setting of deploy/db/postgresql.conf (the server's, in Kubernetes and the local stack), or PostgreSQL's default. */
    private static int postgresSetting(String name, int byDefault) {
        Matcher m = Pattern.compile("(?m)^\\s*" + name + "\\s*=\\s*(\\d+)").matcher(Repo.read(Repo.DB.resolve("postgresql.conf")));
        return m.find() ? Integer.parseInt(m.group(1)) : byDefault;
    }
}
