package dev.suite.auth.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Security events, written to the audit table (inside the caller's transaction) and as one JSON line on the
 * {@code audit} logger. Callers pass ids and short fixed details only: never a password, token or hash.
 */
@ApplicationScoped
public class AuditLog {

    private static final String LOGGER_NAME = "audit";
    private static final Logger LOG = Logger.getLogger(LOGGER_NAME);

    public enum Type {
        REGISTERED, LOGIN_SUCCEEDED, LOGIN_FAILED, LOGIN_THROTTLED, PASSWORD_REHASHED, PASSWORD_CHANGED,
        REFRESH_REUSE_DETECTED, SESSION_REVOKED, TOKEN_REVOKED, KEY_ROTATED, KEY_WITHDRAWN, ACCOUNT_DELETED,
        REGISTRATION_FOR_EXISTING_EMAIL, ACCOUNT_IMPORTED, PASSWORD_RESET_REQUESTED, PASSWORD_RESET_MAIL_SENT, PASSWORD_RESET,
        MAIL_SENT, MAIL_GIVEN_UP, ADMIN_BOOTSTRAPPED,
        // Issue 23 items 3 and 4: the admin API (actor_id is the admin) and the retention job.
        LOGIN_REFUSED_LOCKED, ACCOUNT_LOCKED, ACCOUNT_UNLOCKED, ADMIN_ROLE_GRANTED, ADMIN_ROLE_REMOVED, AUDIT_PURGED,
        // Second factors (dev.suite.auth.factor)
        SECOND_FACTOR_ENABLED, SECOND_FACTOR_DISABLED, SECOND_FACTOR_FAILED, RECOVERY_CODE_USED, RECOVERY_CODES_REPLACED,
        // An admin removed every second factor of an account whose owner lost them all (actor_id is the admin)
        SECOND_FACTORS_RESET_BY_ADMIN,
        // Issue 21: the address, its proof and its change
        MAIL_NOT_SENT, EMAIL_VERIFIED, EMAIL_CHANGE_REQUESTED, EMAIL_CHANGED, EMAIL_CHANGE_UNDONE
    }

    public Uni<Void> record(Type type, UUID accountId, UUID sessionId, String clientIp, String detail) {
        return persisted(type, accountId, sessionId, null, clientIp, detail);
    }

    /** An event an admin ({@code actorId}) caused to an account ({@code accountId}), inside the caller's transaction. */
    public Uni<Void> recordByAdmin(Type type, UUID accountId, UUID actorId, String clientIp, String detail) {
        return persisted(type, accountId, null, actorId, clientIp, detail);
    }

    private static Uni<Void> persisted(Type type, UUID accountId, UUID sessionId, UUID actorId, String clientIp, String detail) {
        AuditEvent event = new AuditEvent();
        event.occurredAt = Instant.now();
        event.type = type.name();
        event.accountId = accountId;
        event.sessionId = sessionId;
        event.actorId = actorId;
        event.clientIp = clientIp;
        event.detail = detail;
        log(event);
        return event.persist().replaceWithVoid();
    }

    /**
     * The same record through a plain SQL client, inside {@code sql}'s transaction: for work that runs outside any
     * request's Hibernate session (the mail outbox).
     */
    public Uni<Void> record(SqlClient sql, Type type, UUID accountId, String clientIp, String detail) {
        AuditEvent event = new AuditEvent();
        event.occurredAt = Instant.now();
        event.type = type.name();
        event.accountId = accountId;
        event.clientIp = clientIp;
        event.detail = detail;
        log(event);
        return sql.preparedQuery("INSERT INTO audit_event (occurred_at, type, account_id, session_id, client_ip, detail) "
                + "VALUES ($1, $2, $3, NULL, $4, $5)")
                .execute(Tuple.of(event.occurredAt.atOffset(ZoneOffset.UTC), event.type, accountId, clientIp, detail)).replaceWithVoid();
    }

    static void log(AuditEvent event) {
        UUID accountId = event.accountId;
        UUID sessionId = event.sessionId;
        String clientIp = event.clientIp;
        String detail = event.detail;
        JsonObject fields = new JsonObject().put("event", event.type).put("at", event.occurredAt.toString())
                .put("account", accountId == null ? null : accountId.toString())
                .put("session", sessionId == null ? null : sessionId.toString())
                .put("ip", clientIp).put("detail", detail);
        if (event.actorId != null) { // only admin actions have one; every other line keeps its fields as they were
            fields.put("actor", event.actorId.toString());
        }
        // The fields also go into this one record's MDC: in %prod's JSON logs they are fields of the line ("mdc"),
        // which a log pipeline can index, not only text inside its message. Put into the record, not into MDC.put:
        // on an event loop's own context (the mail outbox's rounds) Quarkus's MDC puts each value into a new
        // duplicated context that the log handler never reads (AuditLineFieldsTest).
        ExtLogRecord line = new ExtLogRecord(Level.INFO, fields.encode(), AuditLog.class.getName());
        line.setLoggerName(LOGGER_NAME);
        line.copyMdc(); // the request's own fields (its trace), where there is one
        fields.forEach(field -> {
            if (field.getValue() != null) {
                line.putMdc("audit." + field.getKey(), field.getValue().toString());
            }
        });
        LOG.log(line);
    }
}
