package dev.suite.users.profile;

import java.time.OffsetDateTime;
import java.util.UUID;

import dev.suite.reactive.CallerContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reading a profile is the hottest query of the suite, so it takes one round trip instead of the four of a
 * Hibernate transaction (BEGIN, set_config, SELECT, COMMIT): both statements go in one simple-protocol query,
 * which PostgreSQL runs as one implicit transaction, so the row-level-security scope set by the first
 * statement applies to the second and ends with them. Writes stay with Hibernate ({@link OwnerScope}).
 */
@ApplicationScoped
class ProfileReads {

    private final Pool database;

    ProfileReads(Pool database) {
        this.database = database;
    }

    /** The owner's profile, or null when it does not exist (yet). */
    Uni<ProfileView> find(UUID owner) {
        // The simple protocol takes no parameters; the only value is a java.util.UUID, whose text form is
        // 36 hexadecimal digits and dashes: nothing in it can end the literal.
        String id = owner.toString();
        String sql = "SELECT set_config('app.owner_id', '" + id + "', true);"
                + "SELECT id, display_name, bio, locale, avatar_url, private_notes, updated_at FROM profile WHERE id = '" + id + "'";
        return CallerContext.resumeOnCaller(database.query(sql).execute()).map(scopeSet -> {
            RowSet<Row> rows = scopeSet.next();
            return rows.size() == 0 ? null : view(rows.iterator().next());
        });
    }

    private static ProfileView view(Row row) {
        OffsetDateTime updatedAt = row.getOffsetDateTime("updated_at");
        return new ProfileView(row.getUUID("id"), null, row.getString("display_name"), row.getString("bio"), row.getString("locale"),
                row.getString("avatar_url"), row.getString("private_notes"), updatedAt.toInstant());
    }
}
