package dev.suite.service.schema;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/**
 * Readiness: the database schema has reached the version this build expects ({@link ExpectedSchema}). A pod of release
 * N+1 that starts before its migration Job has run stays out of its Service (the old pods keep serving, a rolling
 * update waits), instead of answering with queries for tables, columns and grants that are not there yet.
 * <p>
 * The rule is "applied >= expected": migrations are written expand/contract (a release only adds what its code needs
 * and removes only what no release still running reads), so the release before keeps working on the newer schema,
 * which is what lets a rolling update, and a rollback of the code alone, run with every pod ready. A schema behind the
 * code is never safe.
 * <p>
 * Asked over the service's own reactive pool as its own role: the role may not read Flyway's history, so it calls the
 * schema's {@code schema_version()} (a SECURITY DEFINER function its migration grants it). Once the schema has
 * reached the version, the check stops asking: schemas only move forward (restoring an older backup means restarting
 * the services anyway), and the datasource's own check keeps watching the connection.
 * <p>
 * Each service with a database declares one ({@code @Readiness @Singleton}) with its Flyway and pool; the
 * gateway, which has neither, none.
 */
public abstract class SchemaReadiness implements AsyncHealthCheck {

    static final String NAME = "Database schema";
    /** SQLSTATE undefined_function: a schema from before the migration that created schema_version(). */
    private static final String UNDEFINED_FUNCTION = "42883";

    private final ExpectedSchema expected;
    private final Pool pool;
    private volatile String reached;

    protected SchemaReadiness(Flyway flyway, Pool pool) {
        this.expected = ExpectedSchema.of(flyway.getConfiguration());
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (reached != null) {
            return Uni.createFrom().item(response(reached).up().build());
        }
        return pool.query(expected.query()).execute()
                .map(rows -> verdict(rows.iterator().next().getString(0)))
                .onFailure().recoverWithItem(this::unknown);
    }

    private HealthCheckResponse verdict(String applied) {
        if (reached(applied, expected.version())) {
            reached = applied;
            return response(applied).up().build();
        }
        return response(applied == null ? "none" : applied).down()
                .withData("reason", "schema \"" + expected.schema() + "\" is at version " + (applied == null ? "none" : applied)
                        + ", this build expects " + expected.version() + ": run this release's migration Job")
                .build();
    }

    /** The rule (see the class comment): the applied version is the expected one or newer; no version is behind any. */
    static boolean reached(String applied, MigrationVersion expected) {
        return applied != null && MigrationVersion.fromVersion(applied).compareTo(expected) >= 0;
    }

    private HealthCheckResponse unknown(Throwable failure) {
        if (failure instanceof PgException pg && UNDEFINED_FUNCTION.equals(pg.getSqlState())) {
            return response("older than " + expected.version() + " (no schema_version())").down()
                    .withData("reason", "schema \"" + expected.schema() + "\" predates schema_version(), this build expects "
                            + expected.version() + ": run this release's migration Job")
                    .build();
        }
        return response("unknown").down().withData("reason", "cannot ask the database: " + failure.getMessage()).build();
    }

    private HealthCheckResponseBuilder response(String applied) {
        return HealthCheckResponse.named(NAME).withData("schema", expected.schema())
                .withData("expected", expected.version().toString()).withData("applied", applied);
    }
}
