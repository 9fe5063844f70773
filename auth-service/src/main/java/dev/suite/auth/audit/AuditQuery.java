package dev.suite.auth.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * Which events to read: each filter optional (null), {@code before} the keyset position (events with a smaller id),
 * {@code size} the page size (at most {@link #MAX_SIZE}, as the database function enforces too).
 */
public record AuditQuery(UUID account, AuditLog.Type type, Instant since, Instant until, Long before, int size) {

    public static final int MAX_SIZE = 200;
    public static final int DEFAULT_SIZE = 50;

    public static AuditQuery recentOf(UUID account) {
        return new AuditQuery(account, null, null, null, null, DEFAULT_SIZE);
    }
}
