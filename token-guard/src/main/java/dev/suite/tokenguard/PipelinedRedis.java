package dev.suite.tokenguard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The few Redis connections that carry every request's revocation check, many at once (pipelined): the commands asked
 * for during one turn of an event loop are written together at its end and their replies matched by order, so the
 * connection is never held for a round trip.
 *
 * <p>Why not the client's pool: a pooled connection is lent for one command's whole round trip, so at most
 * {@code quarkus.redis.max-pool-size} checks are in flight and the rest queue for a connection. Under TLS a round trip
 * also waits for both ends to decrypt, and with the event loops busy serving requests the pool became the service's
 * throttle (make bench: the check cost 57% of the direct read's throughput, against 4% in plaintext).
 *
 * <p>Each connection has a client of its own, with the default client's settings as Quarkus built them (address,
 * user, password, TLS: {@link RedisSettings}), and is kept. One that fails or closes is dropped and another opened; a check in flight on it fails (or times out), and
 * its caller answers 503 (closed, never open). So is one that has commands outstanding and has answered none of them
 * for {@link #DEAD_AFTER_TIMEOUTS} times the check's timeout: a peer that vanished without closing (a dead host, a
 * dropped route) would otherwise take every later check with it until TCP gives up, minutes later. A slow moment is
 * not that: each check still fails closed at its own timeout, and the connection stays. A slot without a connection
 * opens one again in the background, once a second, so the requests after an outage do not each wait for a handshake.
 */
@ApplicationScoped
class PipelinedRedis {

    static final int DEAD_AFTER_TIMEOUTS = 10;

    private static final Logger LOG = Logger.getLogger(PipelinedRedis.class);

    /** How long a slot whose connection closed, or could not be opened, waits before it tries again on its own. */
    static final Duration REOPEN_PAUSE = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final RedisSettings settings;
    private final Duration timeout;
    private final boolean cluster;
    private final long deadAfterNanos;
    private final List<AtomicReference<Uni<Line>>> slots;
    /** Each thread (an event loop, in a service) keeps the slot it was first given: the loops are spread evenly. */
    private final AtomicInteger threadsSeen = new AtomicInteger();
    private final ThreadLocal<AtomicReference<Uni<Line>>> slotOfThread;
    private volatile boolean closing;

    /** {@code pool}, the services' own client, is injected so that it is built (and its settings captured) first. */
    PipelinedRedis(Redis pool, Vertx vertx, RedisSettings settings, TokenGuardConfig config) {
        this.vertx = vertx;
        this.settings = settings;
        this.timeout = config.revocation().timeout();
        this.cluster = settings.isCluster();
        this.deadAfterNanos = timeout.multipliedBy(DEAD_AFTER_TIMEOUTS).toNanos();
        this.slots = IntStream.range(0, Math.max(1, config.revocation().connections()))
                .mapToObj(i -> new AtomicReference<Uni<Line>>()).toList();
        this.slotOfThread = ThreadLocal.withInitial(() -> slots.get(Math.floorMod(threadsSeen.getAndIncrement(), slots.size())));
    }

    /**
     * Opens the connections at start, so that the first requests do not pay for the TLS handshake inside their check's
     * timeout (a cold JVM's first handshake takes longer than that, and its checks would fail closed with 503). A
     * Redis that is down now is not a reason to refuse to start: the first check opens the connection again.
     */
    void openAtStart(@Observes StartupEvent started) {
        slots.forEach(this::open);
    }

    /**
     * Opens the slot's connection in the background, and again every {@link #REOPEN_PAUSE} until it is open: a Redis
     * that restarted or failed over gets its connections back before the next burst of requests has to wait for them.
     */
    private void open(AtomicReference<Uni<Line>> slot) {
        line(slot).subscribe().with(line -> {
        }, failure -> {
            LOG.debugf("Redis connection for the revocation checks not opened (%s); trying again", failure.getMessage());
            reopenSoon(slot);
        });
    }

    private void reopenSoon(AtomicReference<Uni<Line>> slot) {
        if (closing) {
            return;
        }
        Uni.createFrom().voidItem().onItem().delayIt().by(REOPEN_PAUSE).subscribe().with(ignored -> {
            if (!closing && slot.get() == null) {
                open(slot);
            }
        });
    }

    Uni<Response> send(Request command) {
        return onLine(line -> line.connection.getDelegate().send(command.getDelegate()).map(Response::newInstance));
    }

    /**
     * The commands in one write, their replies in order (no other caller's command lands between them). On a Redis
     * Cluster, whose client refuses a batch across slots (a gateway's rate-limit key and a revocation bucket lie in
     * different ones), each command goes to its own slot's node at once instead; the replies still come in order, and
     * the batch fails if any of them fails.
     */
    Uni<List<Response>> batch(List<Request> commands) {
        List<io.vertx.redis.client.Request> requests = commands.stream().map(Request::getDelegate).toList();
        if (cluster) {
            return onLine(line -> Future.all(requests.stream().map(line.connection.getDelegate()::send).toList())
                    .map(all -> all.<io.vertx.redis.client.Response>list().stream().map(Response::newInstance).toList()));
        }
        return onLine(line -> line.coalesced(requests).map(replies -> replies.stream().map(Response::newInstance).toList()));
    }

    /**
     * The most commands one coalesced write carries: the client refuses a batch larger than its waiting room (2048 by
     * default) as a whole, and a burst bigger than that during a Redis stall must not fail every caller with it.
     */
    static final int MAX_COMMANDS = 256;

    /** What one event loop asked during its current turn; touched by that loop's thread only. */
    private static final class Turn {
        final List<Asked> asked = new ArrayList<>();
        boolean writeScheduled;
    }

    /** One caller's batch, waiting for the end of its event loop's turn. */
    private record Asked(List<io.vertx.redis.client.Request> requests, Promise<List<io.vertx.redis.client.Response>> replies) {
    }

    /** One connection, and what it has been asked and has answered: the liveness rule above. */
    private static final class Line {
        final Redis client;
        final RedisConnection connection;
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        /**
         * Each event loop's own batches of its current turn: a loop writes only what its own requests asked, so no
         * loop waits for another's turn to end, and the queue is touched by its own thread alone.
         */
        private final ThreadLocal<Turn> turns = ThreadLocal.withInitial(Turn::new);

        Line(Redis client, RedisConnection connection) {
            this.client = client;
            this.connection = connection;
        }

        /**
         * The batches asked for during one turn of the caller's event loop go out together at its end: one write and
         * one TLS record for all of them, and one read of the replies, instead of one of each per request (a profile of
         * the direct read had a fifth of the user service's CPU in socket writes, and the check costing up to half of
         * its throughput). Each caller's commands stay contiguous and in order, and get exactly their own replies. A
         * failure of the write, the connection or any reply fails every batch that went with it: each of those
         * callers answers 503, as before for its own (closed, never open). A service's checks all send the same
         * commands (lookups, and at the gateway its rate-limit counter), so a reply that fails one would fail each of
         * them on its own too. Off an event loop, sent at once.
         */
        Future<List<io.vertx.redis.client.Response>> coalesced(List<io.vertx.redis.client.Request> requests) {
            Context context = io.vertx.core.Vertx.currentContext();
            if (context == null || !Context.isOnEventLoopThread()) {
                return connection.getDelegate().batch(requests);
            }
            Turn turn = turns.get();
            Promise<List<io.vertx.redis.client.Response>> replies = Promise.promise();
            turn.asked.add(new Asked(requests, replies));
            if (!turn.writeScheduled) {
                turn.writeScheduled = true;
                context.runOnContext(ignored -> write(turn));
            }
            return replies.future();
        }

        /** On the turn's own event loop, at the end of the turn: its batches, at most {@link #MAX_COMMANDS} a write. */
        private void write(Turn turn) {
            turn.writeScheduled = false;
            List<Asked> asked = new ArrayList<>(turn.asked); // a reply handled at once may ask again: that goes next turn
            turn.asked.clear();
            List<Asked> together = new ArrayList<>();
            int commands = 0;
            for (Asked one : asked) {
                if (!together.isEmpty() && commands + one.requests().size() > MAX_COMMANDS) {
                    send(together);
                    together = new ArrayList<>();
                    commands = 0;
                }
                together.add(one);
                commands += one.requests().size();
            }
            if (!together.isEmpty()) {
                send(together);
            }
        }

        private void send(List<Asked> together) {
            List<io.vertx.redis.client.Request> all = new ArrayList<>();
            together.forEach(one -> all.addAll(one.requests()));
            try {
                connection.getDelegate().batch(all).onComplete(done -> answer(together, done));
            } catch (RuntimeException failure) {
                answer(together, Future.failedFuture(failure));
            }
        }

        /** Every caller gets an answer, its own replies (a nil reply is a null element) or the failure: none waits for its timeout. */
        private static void answer(List<Asked> together, io.vertx.core.AsyncResult<List<io.vertx.redis.client.Response>> done) {
            int from = 0;
            for (Asked one : together) {
                int to = from + one.requests().size();
                if (done.failed()) {
                    one.replies().tryFail(done.cause());
                } else if (done.result() == null || done.result().size() < to) {
                    one.replies().tryFail(new IllegalStateException("Redis answered " + (done.result() == null ? 0 : done.result().size())
                            + " replies to a batch of more commands"));
                } else {
                    one.replies().tryComplete(java.util.Collections.unmodifiableList(new ArrayList<>(done.result().subList(from, to))));
                }
                from = to;
            }
        }

        boolean silentFor(long nanos) {
            return outstanding.get() > 0 && System.nanoTime() - lastProgress.get() > nanos;
        }

        /** Sends now; the reply is counted when it comes, whether or not the caller still waits for it. */
        <T> Future<T> sent(Function<Line, Future<T>> call) {
            if (outstanding.getAndIncrement() == 0) {
                lastProgress.set(System.nanoTime());
            }
            return call.apply(this).andThen(done -> {
                lastProgress.set(System.nanoTime());
                outstanding.decrementAndGet();
            });
        }
    }

    private <T> Uni<T> onLine(Function<Line, Future<T>> call) {
        AtomicReference<Uni<Line>> slot = slotOfThread.get();
        Uni<Line> held = line(slot);
        return held.flatMap(line -> {
            if (line.silentFor(deadAfterNanos)) {
                drop(slot, held, line);
                return Uni.createFrom().failure(new IllegalStateException(
                        "Redis answered nothing on this connection for " + Duration.ofNanos(deadAfterNanos).toMillis() + " ms; dropped"));
            }
            return Uni.createFrom().completionStage(() -> line.sent(call).toCompletionStage());
        });
    }

    private Uni<Line> line(AtomicReference<Uni<Line>> slot) {
        Uni<Line> current = slot.get();
        if (current != null) {
            return current;
        }
        // One connect per slot at a time: every caller that finds the slot empty meanwhile shares this one.
        AtomicReference<Uni<Line>> self = new AtomicReference<>();
        // One connection, never a second: the line's client connects once. Waiting 1, not 0: the Sentinel client
        // refuses a pool whose waiting room is smaller than the pool (Redis through Sentinels, issue 25).
        Redis client = Redis.createClient(vertx, settings.copy().setMaxPoolSize(1).setMaxPoolWaiting(1));
        Uni<Line> opening = client.connect()
                .flatMap(this::answering)
                .map(connection -> {
                    Line line = new Line(client, connection);
                    connection.exceptionHandler(failure -> drop(slot, self.get(), line));
                    connection.endHandler(() -> {
                        if (slot.compareAndSet(self.get(), null)) {
                            client.close();
                            reopenSoon(slot);
                        }
                    });
                    return line;
                })
                .onFailure().invoke(client::close)
                .onFailure().invoke(failure -> slot.compareAndSet(self.get(), null))
                .memoize().indefinitely();
        self.set(opening);
        return slot.compareAndSet(null, opening) ? opening : line(slot);
    }

    /** The new connection, once it has answered a PING within the check's timeout: a line starts on a live socket only. */
    private Uni<RedisConnection> answering(RedisConnection connection) {
        return connection.send(Request.cmd(Command.PING)).ifNoItem().after(timeout).fail().replaceWith(connection);
    }

    /**
     * Forgets the line (if the slot still holds it), closes its client, and opens another. Closing the client closes
     * the socket for good and fails whatever still waits on it; a pooled connection would only go back to its pool, to
     * be lent again silent as it was (SilentConnectionTest), which is why each line has a client of its own.
     */
    private void drop(AtomicReference<Uni<Line>> slot, Uni<Line> held, Line line) {
        if (held != null && slot.compareAndSet(held, null)) {
            line.client.close();
            reopenSoon(slot);
        }
    }

    @PreDestroy
    void close() {
        closing = true;
        for (AtomicReference<Uni<Line>> slot : slots) {
            Uni<Line> held = slot.getAndSet(null);
            if (held != null) {
                held.subscribe().with(line -> line.client.close(), failure -> {
                });
            }
        }
    }
}
