package dev.suite.auth.audit;

import java.time.Instant;
import java.util.UUID;

/** One audit event as an admin reads it: who ({@code actorId}, for what an admin did) did what to whom, when, from where. */
public record AuditEntry(long id, Instant occurredAt, String type, UUID accountId, UUID actorId, UUID sessionId, String clientIp,
        String detail) {
}
