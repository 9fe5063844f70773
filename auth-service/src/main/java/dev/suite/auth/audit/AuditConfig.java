package dev.suite.auth.audit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "auth.audit")
public interface AuditConfig {

    /**
     * Events older than this are deleted by {@link AuditRetention}. The database keeps anything younger than 30 days
     * whatever this says (auth.purge_audit_events, V9), so a shorter value stops the service at start.
     */
    @WithDefault("P400D")
    Duration retention();

    /** How often each replica deletes what has aged out; replicas deleting at once only share the work. */
    @WithDefault("PT1H")
    Duration purgeInterval();

    /** Rows per delete: each batch is its own short transaction, so a first purge of a large table never holds locks long. */
    @WithDefault("1000")
    int purgeBatch();
}
