package dev.suite.users.schema;

import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

import dev.suite.service.schema.SchemaReadiness;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;

/** Not ready until the "users" schema has reached this build's migrations (service-runtime's SchemaReadiness says why). */
@Readiness
@Singleton
public class MigratedSchemaReadiness extends SchemaReadiness {

    MigratedSchemaReadiness(Flyway flyway, Pool pool) {
        super(flyway, pool);
    }
}
