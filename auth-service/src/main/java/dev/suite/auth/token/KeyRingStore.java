package dev.suite.auth.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jose4j.jwk.JsonWebKey;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code signing_key} table, shared by every replica. Every change runs in one transaction under an advisory
 * lock ({@link #changing}), so concurrent replicas cannot fork the ring.
 */
@ApplicationScoped
public class KeyRingStore {

    private static final long RING_LOCK = 0x5157_4b45_5952_494eL;
    private static final String COLUMNS = "kid, state, private_key, sealed_by, public_jwk, created_at, activated_at, withdrawn_at";

    /** One row of the ring. */
    public record StoredKey(String kid, KeyState state, RingSealing.Sealed sealed, String publicJwk, Instant createdAt,
            Instant activatedAt, Instant withdrawnAt) {
    }

    private final Pool database;

    KeyRingStore(Pool database) {
        this.database = database;
    }

    /** The published keys (next, current, previous). */
    public Uni<List<StoredKey>> published() {
        return database.query("SELECT " + COLUMNS + " FROM signing_key WHERE state IN ('next', 'current', 'previous')")
                .execute().map(KeyRingStore::keys);
    }

    /** Runs {@code work} in one transaction holding the ring's lock. */
    public <T> Uni<T> changing(Function<SqlConnection, Uni<T>> work) {
        return database.withTransaction(tx -> tx.query("SELECT pg_advisory_xact_lock(" + RING_LOCK + ")").execute()
                .chain(() -> work.apply(tx)));
    }

    public Uni<List<StoredKey>> all(SqlClient client) {
        return client.query("SELECT " + COLUMNS + " FROM signing_key ORDER BY created_at").execute().map(KeyRingStore::keys);
    }

    public Uni<List<StoredKey>> all() {
        return all(database);
    }

    public Uni<Void> insert(SqlConnection tx, SigningKeys.SigningKey key, KeyState state, RingSealing.Sealed sealed) {
        OffsetDateTime now = OffsetDateTime.now();
        return tx.preparedQuery("INSERT INTO signing_key (kid, private_key, sealed_by, public_jwk, state, created_at, activated_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.of(key.kid(), Buffer.buffer(sealed.bytes()), sealed.sealedBy(),
                        key.publicJwk().toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY), state.column(), now)
                        .addValue(state == KeyState.CURRENT ? now : null))
                .replaceWithVoid();
    }

    /** Moves every key in state {@code from} to {@code to}. */
    public Uni<Void> move(SqlConnection tx, KeyState from, KeyState to) {
        return tx.preparedQuery("UPDATE signing_key SET state = $1 WHERE state = $2").execute(Tuple.of(to.column(), from.column()))
                .replaceWithVoid();
    }

    /** The key starts signing now. */
    public Uni<Void> activate(SqlConnection tx, String kid) {
        return tx.preparedQuery("UPDATE signing_key SET state = 'current', activated_at = now() WHERE kid = $1")
                .execute(Tuple.of(kid)).replaceWithVoid();
    }

    public Uni<Void> withdraw(SqlConnection tx, String kid) {
        return tx.preparedQuery("UPDATE signing_key SET state = 'withdrawn', withdrawn_at = now() WHERE kid = $1")
                .execute(Tuple.of(kid)).replaceWithVoid();
    }

    public Uni<Void> reseal(SqlConnection tx, String kid, RingSealing.Sealed sealed) {
        return tx.preparedQuery("UPDATE signing_key SET private_key = $1, sealed_by = $2 WHERE kid = $3")
                .execute(Tuple.of(Buffer.buffer(sealed.bytes()), sealed.sealedBy(), kid)).replaceWithVoid();
    }

    private static List<StoredKey> keys(RowSet<Row> rows) {
        List<StoredKey> keys = new ArrayList<>();
        for (Row row : rows) {
            keys.add(new StoredKey(row.getString("kid"), KeyState.of(row.getString("state")),
                    new RingSealing.Sealed(row.getBuffer("private_key").getBytes(), row.getString("sealed_by")),
                    row.getString("public_jwk"), instant(row, "created_at"), instant(row, "activated_at"), instant(row, "withdrawn_at")));
        }
        return keys;
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
