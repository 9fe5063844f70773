package dev.suite.service.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.io.StringReader;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.junit.jupiter.api.Test;

/** Which version a build expects, from the migration files Flyway would run: by version order, never by name order. */
class ExpectedSchemaTest {

    @Test
    void theHighestVersionedMigrationByVersionNotByName() {
        // Sorted as text, V9 would beat V10 and V1_10 would lose to V1_9.
        ExpectedSchema expected = ExpectedSchema.of(flyway("auth", "V1__accounts.sql", "V10__later.sql", "V9__earlier.sql", "R__view.sql").getConfiguration());
        assertThat(expected.schema()).isEqualTo("auth");
        assertThat(expected.version().toString()).isEqualTo("10");
        assertThat(expected.query()).isEqualTo("SELECT auth.schema_version()");

        assertThat(ExpectedSchema.of(flyway("users", "V1_9__a.sql", "V1_10__b.sql").getConfiguration()).version().toString()).isEqualTo("1.10");
    }

    @Test
    void aBuildWithoutVersionedMigrationsHasNothingToExpect() {
        assertThatThrownBy(() -> ExpectedSchema.of(flyway("auth", "R__only_repeatable.sql").getConfiguration()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no versioned migration");
    }

    private static Flyway flyway(String schema, String... files) {
        List<LoadableResource> resources = Arrays.stream(files).map(ExpectedSchemaTest::file).toList();
        ResourceProvider provider = new ResourceProvider() {
            @Override
            public LoadableResource getResource(String name) {
                return resources.stream().filter(r -> r.getFilename().equals(name)).findFirst().orElse(null);
            }

            @Override
            public Collection<LoadableResource> getResources(String prefix, String... suffixes) {
                return resources.stream().filter(r -> r.getFilename().startsWith(prefix)
                        && Arrays.stream(suffixes).anyMatch(r.getFilename()::endsWith)).toList();
            }
        };
        return Flyway.configure().schemas(schema).resourceProvider(provider).load();
    }

    private static LoadableResource file(String name) {
        return new LoadableResource() {
            @Override
            public Reader read() {
                return new StringReader("SELECT 1;");
            }

            @Override
            public String getAbsolutePath() {
                return "db/migration/" + name;
            }

            @Override
            public String getAbsolutePathOnDisk() {
                return null;
            }

            @Override
            public String getFilename() {
                return name;
            }

            @Override
            public String getRelativePath() {
                return "db/migration/" + name;
            }
        };
    }
}
