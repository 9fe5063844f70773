package dev.suite.auth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.auth.OwnerDatabase;
import dev.suite.auth.audit.AuditRetention;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Retention (issue 23, item 4): a round of the job deletes what is older than auth.audit.retention (400 days by
 * default) and keeps the rest, and says so in the trail. The floor below which the database deletes nothing, whoever
 * asks, is AppRolePrivilegesTest's attack.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class AuditRetentionTest {

    @Inject
    AuditRetention retention;

    @Test
    void aRoundDeletesWhatIsOlderThanTheRetentionAndKeepsTheRest() {
        String marker = "retention-" + UUID.randomUUID();
        OwnerDatabase.update("INSERT INTO audit_event (occurred_at, type, detail) VALUES "
                + "(now() - interval '500 days', 'RETENTION_PROBE', ?), (now() - interval '401 days', 'RETENTION_PROBE', ?), "
                + "(now() - interval '399 days', 'RETENTION_PROBE', ?), (now() - interval '31 days', 'RETENTION_PROBE', ?)",
                marker + "-500", marker + "-401", marker + "-399", marker + "-31");

        long deleted = retention.purge().await().atMost(Duration.ofMinutes(1));

        assertThat(deleted).isGreaterThanOrEqualTo(2);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event WHERE detail LIKE ?", marker + "%")).isEqualTo(2);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event WHERE detail IN (?, ?)", marker + "-399", marker + "-31"))
                .isEqualTo(2);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event WHERE type = 'AUDIT_PURGED' AND occurred_at > now() - interval '1 minute'"))
                .isPositive();
    }
}
