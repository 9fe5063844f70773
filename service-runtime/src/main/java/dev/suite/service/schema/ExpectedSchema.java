package dev.suite.service.schema;

import java.util.Collection;
import java.util.Comparator;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The schema a build of a service was written against: the highest versioned migration it ships (V6__... gives 6), in
 * the schema its migrations own. Read from Flyway's own configuration (its prefix, separator, suffixes, and the list of
 * migration files quarkus-flyway records at build time, native images included), so the service and its migration Job
 * cannot disagree about which files count.
 */
public record ExpectedSchema(String schema, MigrationVersion version) {

    public static ExpectedSchema of(Configuration flyway) {
        String schema = flyway.getDefaultSchema() != null ? flyway.getDefaultSchema() : first(flyway.getSchemas());
        if (flyway.getResourceProvider() == null) {
            throw new IllegalStateException("Flyway has no resource provider: quarkus-flyway sets one from the migrations of the build");
        }
        return new ExpectedSchema(schema, highest(flyway.getResourceProvider().getResources(flyway.getSqlMigrationPrefix(),
                flyway.getSqlMigrationSuffixes()), flyway.getSqlMigrationPrefix(), flyway.getSqlMigrationSeparator()));
    }

    /** The highest version among file names such as {@code db/migration/V12__name.sql} (prefix V, separator __). */
    static MigrationVersion highest(Collection<? extends LoadableResource> migrations, String prefix, String separator) {
        return migrations.stream()
                .map(LoadableResource::getFilename)
                .map(name -> name.substring(name.lastIndexOf('/') + 1))
                .filter(name -> name.startsWith(prefix) && name.contains(separator))
                .map(name -> MigrationVersion.fromVersion(name.substring(prefix.length(), name.indexOf(separator))))
                .max(Comparator.naturalOrder())
                .orElseThrow(() -> new IllegalStateException("This build ships no versioned migration (" + prefix + "<version>"
                        + separator + "...): there is no schema version to expect"));
    }

    /** The SQL that asks the database (as the service's own role) which version is applied: the V-migration's function. */
    String query() {
        return "SELECT " + schema + ".schema_version()";
    }

    private static String first(String[] schemas) {
        if (schemas == null || schemas.length == 0) {
            throw new IllegalStateException("Flyway names no schema (quarkus.flyway.schemas): the schema_version() function lives in it");
        }
        return schemas[0];
    }
}
