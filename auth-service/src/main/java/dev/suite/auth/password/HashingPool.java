package dev.suite.auth.password;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.suite.problem.Problem;
import dev.suite.reactive.CallerContext;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The only place password hashing runs: a fixed pool of its own threads with a bounded queue. Never the event
 * loop, never Quarkus's shared worker pool, so a login flood cannot starve other requests; when the queue is
 * full the caller gets 503 + Retry-After at once. Each piece of work names its owners (an account, device or
 * session, and a client address); an owner already holding its share of the pool gets 429 instead of queuing,
 * so one attacker cannot fill the pool that every other login needs. Results come back on the caller's context.
 */
@ApplicationScoped
public class HashingPool {

    private final ThreadPoolExecutor executor;
    private final int perAccount;
    private final int perClient;
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    HashingPool(PasswordConfig config) {
        int threads = config.pool().threads().orElse(Runtime.getRuntime().availableProcessors());
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.pool().queue()), runnable -> {
                    Thread thread = new Thread(runnable, "password-hashing-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.perAccount = Math.max(1, config.pool().perAccount());
        this.perClient = Math.max(1, config.pool().perClient().orElse((threads + config.pool().queue()) / 4));
    }

    /** Work nobody in particular asked for (start-up, tests). */
    public <T> Uni<T> run(Supplier<T> work) {
        return run(List.of(), work);
    }

    /** Work on behalf of these owners ("ip:..." keys are client addresses; any other key an account, device or session). */
    public <T> Uni<T> run(List<String> owners, Supplier<T> work) {
        return CallerContext.resumeOnCaller(Uni.createFrom().emitter(emitter -> {
            if (!claim(owners)) {
                emitter.fail(Problem.tooManyRequests(1));
                return;
            }
            try {
                executor.execute(() -> {
                    // The share is given back before the caller hears of the result: a caller that goes straight on
                    // to its next piece of work (the estimate, then the hash) must find its share free again.
                    T result;
                    try {
                        result = work.get();
                    } catch (RuntimeException e) {
                        release(owners);
                        emitter.fail(e);
                        return;
                    }
                    release(owners);
                    emitter.complete(result);
                });
            } catch (RejectedExecutionException e) {
                release(owners);
                emitter.fail(Problem.unavailable("The service is busy; try again in a moment."));
            }
        }));
    }

    /** Work queued or running right now (for metrics and tests). */
    public int backlog() {
        return executor.getQueue().size() + executor.getActiveCount();
    }

    private boolean claim(List<String> owners) {
        for (int i = 0; i < owners.size(); i++) {
            String owner = owners.get(i);
            int share = owner.startsWith("ip:") ? perClient : perAccount;
            if (held.merge(owner, 1, Integer::sum) > share) {
                release(owners.subList(0, i + 1));
                return false;
            }
        }
        return true;
    }

    private void release(List<String> owners) {
        for (String owner : owners) {
            held.computeIfPresent(owner, (o, count) -> count <= 1 ? null : count - 1);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }
}
