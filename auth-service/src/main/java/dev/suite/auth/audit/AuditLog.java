package dev.suite.auth.audit;

import java.time.Instant;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Security events, written to the audit table (inside the caller's transaction) and as one JSON line on the
 * {@code audit} logger. Callers pass ids and short fixed details only: never a password, token or hash.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger("audit");

    public enum Type {
        REGISTERED, LOGIN_SUCCEEDED, LOGIN_FAILED, LOGIN_THROTTLED, PASSWORD_REHASHED, PASSWORD_CHANGED,
        REFRESH_REUSE_DETECTED, SESSION_REVOKED, TOKEN_REVOKED, KEY_ROTATED, KEY_WITHDRAWN, ACCOUNT_DELETED,
        REGISTRATION_FOR_EXISTING_EMAIL
    }

    public Uni<Void> record(Type type, UUID accountId, UUID sessionId, String clientIp, String detail) {
        AuditEvent event = new AuditEvent();
        event.occurredAt = Instant.now();
        event.type = type.name();
        event.accountId = accountId;
        event.sessionId = sessionId;
        event.clientIp = clientIp;
        event.detail = detail;
        LOG.info(new JsonObject().put("event", type.name()).put("at", event.occurredAt.toString())
                .put("account", accountId == null ? null : accountId.toString())
                .put("session", sessionId == null ? null : sessionId.toString())
                .put("ip", clientIp).put("detail", detail).encode());
        return event.persist().replaceWithVoid();
    }
}
