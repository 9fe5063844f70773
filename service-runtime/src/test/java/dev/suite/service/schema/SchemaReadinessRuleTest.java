package dev.suite.service.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/** Ready on the expected schema or a newer one (expand/contract keeps release N working on N+1), never on an older one. */
class SchemaReadinessRuleTest {

    private static final MigrationVersion SIX = MigrationVersion.fromVersion("6");

    @Test
    void anOlderSchemaIsNeverEnough() {
        assertThat(SchemaReadiness.reached("5", SIX)).isFalse();
        assertThat(SchemaReadiness.reached("5.9", SIX)).isFalse();
        assertThat(SchemaReadiness.reached(null, SIX)).as("no migration applied at all").isFalse();
        // Compared as versions: as text "10" < "9".
        assertThat(SchemaReadiness.reached("9", MigrationVersion.fromVersion("10"))).isFalse();
    }

    @Test
    void theExpectedSchemaOrANewerOneIsReady() {
        assertThat(SchemaReadiness.reached("6", SIX)).isTrue();
        assertThat(SchemaReadiness.reached("6.1", SIX)).isTrue();
        assertThat(SchemaReadiness.reached("10", MigrationVersion.fromVersion("9"))).isTrue();
    }
}
