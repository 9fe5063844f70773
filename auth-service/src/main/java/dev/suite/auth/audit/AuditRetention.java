package dev.suite.auth.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the audit trail for {@link AuditConfig#retention()}: every {@link AuditConfig#purgeInterval()} each replica
 * deletes what is older, in batches of {@link AuditConfig#purgeBatch()} (each its own transaction), through
 * auth.purge_audit_events (V9), whose floor of 30 days no configuration of the service can lower. A Vert.x timer, as
 * the mail outbox's, rather than a scheduler extension: one periodic job, and two replicas deleting at once only
 * split the rows.
 */
@ApplicationScoped
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    /** The database's own floor (auth.purge_audit_events): a retention below it could never be enforced as configured. */
    static final Duration FLOOR = Duration.ofDays(30);
    /** Batches per round: a first purge of a huge table goes on at the next round rather than holding the timer. */
    private static final int MAX_BATCHES_PER_ROUND = 100;

    private final Pool db;
    private final AuditConfig config;
    private final AuditLog audit;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    AuditRetention(Pool db, AuditConfig config, AuditLog audit, Vertx vertx) {
        this.db = db;
        this.config = config;
        this.audit = audit;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.retention().compareTo(FLOOR) < 0) {
            throw new IllegalStateException("auth.audit.retention is " + config.retention() + ": the audit trail is kept at least "
                    + FLOOR.toDays() + " days (the database refuses to delete younger events)");
        }
        timer = vertx.setPeriodic(config.purgeInterval().toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                purge().subscribe().with(ignored -> running.set(false), failure -> {
                    LOG.warnf("Audit retention round failed (tried again at the next one): %s", failure.getMessage());
                    running.set(false);
                });
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One round: deletes events older than the retention, batch after batch; answers how many went. */
    public Uni<Long> purge() {
        Instant cutoff = Instant.now().minus(config.retention());
        return batches(cutoff, 0, 0L).call(deleted -> deleted == 0 ? Uni.createFrom().voidItem()
                : db.withTransaction(tx -> audit.record(tx, AuditLog.Type.AUDIT_PURGED, null, null,
                        deleted + " events before " + cutoff)));
    }

    private Uni<Long> batches(Instant cutoff, int round, long deletedSoFar) {
        return deleteBatch(cutoff).chain(deleted -> deleted < config.purgeBatch() || round + 1 >= MAX_BATCHES_PER_ROUND
                ? Uni.createFrom().item(deletedSoFar + deleted)
                : batches(cutoff, round + 1, deletedSoFar + deleted));
    }

    private Uni<Integer> deleteBatch(Instant cutoff) {
        return db.withTransaction(tx -> tx.preparedQuery("SELECT auth.purge_audit_events($1, $2)")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), config.purgeBatch()))
                .map(rows -> rows.iterator().next().getInteger(0)));
    }
}
