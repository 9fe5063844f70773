package dev.suite.tokenguard;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The few Redis connections that carry every request's revocation check, many at once (pipelined): a command is
 * written as soon as it is asked for and its reply matched by order, so the connection is never held for a round trip.
 *
 * <p>Why not the client's pool: a pooled connection is lent for one command's whole round trip, so at most
 * {@code quarkus.redis.max-pool-size} checks are in flight, and the rest queue for a connection. Under TLS a round
 * trip also waits for both ends to decrypt, and with the event loops busy serving requests the pool became the
 * service's throttle (make bench: the check cost 57% of the direct read's throughput, against 4% in plaintext).
 *
 * <p>Each connection is borrowed from that pool once (so it has the pool's address, user, password and TLS settings)
 * and kept. One that fails or closes is dropped, and the next call opens another: a check in flight on it fails, and
 * its caller answers 503 (closed, never open). Requests are spread by event loop; a second connection keeps one
 * slow reply from holding every check behind it.
 */
@ApplicationScoped
class PipelinedRedis {

    private final Redis pool;
    private final Duration silence;
    private final List<AtomicReference<Uni<RedisConnection>>> slots;

    PipelinedRedis(Redis pool, TokenGuardConfig config) {
        this.pool = pool;
        this.silence = config.revocation().timeout();
        this.slots = IntStream.range(0, Math.max(1, config.revocation().connections()))
                .mapToObj(i -> new AtomicReference<Uni<RedisConnection>>()).toList();
    }

    Uni<Response> send(Request command) {
        return onConnection(connection -> connection.send(command));
    }

    /** The commands in one write, their replies in order (no other caller's command lands between them). */
    Uni<List<Response>> batch(List<Request> commands) {
        return onConnection(connection -> connection.batch(commands));
    }

    /**
     * A connection that leaves a command unanswered for the whole timeout is dropped too: a peer that vanished without
     * closing (a dead host, a dropped route) would otherwise hold every later check until TCP gives up, minutes later.
     */
    private <T> Uni<T> onConnection(Function<RedisConnection, Uni<T>> call) {
        AtomicReference<Uni<RedisConnection>> slot = slots.get(Math.floorMod(Thread.currentThread().hashCode(), slots.size()));
        Uni<RedisConnection> held = connection(slot);
        return held.flatMap(connection -> call.apply(connection).ifNoItem().after(silence).failWith(() -> {
            drop(slot, held, connection);
            return new IllegalStateException("no reply within " + silence.toMillis() + " ms; connection dropped");
        }));
    }

    private Uni<RedisConnection> connection(AtomicReference<Uni<RedisConnection>> slot) {
        Uni<RedisConnection> current = slot.get();
        if (current != null) {
            return current;
        }
        // One connect per slot at a time: every caller that finds the slot empty meanwhile shares this one.
        AtomicReference<Uni<RedisConnection>> self = new AtomicReference<>();
        Uni<RedisConnection> opening = pool.connect()
                .onItem().invoke(connection -> {
                    connection.exceptionHandler(failure -> drop(slot, self.get(), connection));
                    connection.endHandler(() -> slot.compareAndSet(self.get(), null));
                })
                .onFailure().invoke(failure -> slot.compareAndSet(self.get(), null))
                .memoize().indefinitely();
        self.set(opening);
        return slot.compareAndSet(null, opening) ? opening : connection(slot);
    }

    /** Forgets the connection (if the slot still holds it) and gives it back to the pool, which evicts it if broken. */
    private static void drop(AtomicReference<Uni<RedisConnection>> slot, Uni<RedisConnection> held, RedisConnection connection) {
        if (held != null && slot.compareAndSet(held, null)) {
            connection.closeAndForget();
        }
    }

    @PreDestroy
    void close() {
        for (AtomicReference<Uni<RedisConnection>> slot : slots) {
            Uni<RedisConnection> held = slot.getAndSet(null);
            if (held != null) {
                held.subscribe().with(RedisConnection::closeAndForget, failure -> {
                });
            }
        }
    }
}
