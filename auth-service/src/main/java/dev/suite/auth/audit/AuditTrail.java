package dev.suite.auth.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reading the audit trail, a page at a time. auth_app cannot read the table (it is append-only for the service): it
 * calls auth.audit_page (V9), which runs as the owner and answers at most 200 rows per call.
 */
@ApplicationScoped
public class AuditTrail {

    private final Pool db;

    AuditTrail(Pool db) {
        this.db = db;
    }

    public Uni<AuditPage> page(AuditQuery query) {
        Tuple parameters = Tuple.tuple().addValue(query.account()).addValue(query.type() == null ? null : query.type().name())
                .addValue(query.since() == null ? null : query.since().atOffset(ZoneOffset.UTC))
                .addValue(query.until() == null ? null : query.until().atOffset(ZoneOffset.UTC))
                .addValue(query.before()).addValue(query.size());
        return db.preparedQuery("SELECT id, occurred_at, type, account_id, actor_id, session_id, client_ip, detail "
                + "FROM auth.audit_page($1::uuid, $2::text, $3::timestamptz, $4::timestamptz, $5::bigint, $6::integer)")
                .execute(parameters).map(rows -> {
                    List<AuditEntry> events = new ArrayList<>();
                    for (Row row : rows) {
                        events.add(entry(row));
                    }
                    Long next = events.size() == query.size() ? events.get(events.size() - 1).id() : null;
                    return new AuditPage(events, next);
                });
    }

    private static AuditEntry entry(Row row) {
        OffsetDateTime at = row.getOffsetDateTime("occurred_at");
        return new AuditEntry(row.getLong("id"), at.toInstant(), row.getString("type"), row.getUUID("account_id"),
                row.getUUID("actor_id"), row.getUUID("session_id"), row.getString("client_ip"), row.getString("detail"));
    }
}
