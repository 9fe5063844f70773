package dev.suite.auth.password;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.suite.problem.Problem;
import dev.suite.tokenguard.CallerContext;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The only place password hashing runs: a fixed pool of its own threads with a bounded queue. Never the event
 * loop, never Quarkus's shared worker pool, so a login flood cannot starve other requests; when the queue is
 * full the caller gets 503 + Retry-After at once. Results come back on the caller's Vert.x context.
 */
@ApplicationScoped
public class HashingPool {

    private final ThreadPoolExecutor executor;

    HashingPool(PasswordConfig config) {
        int threads = config.pool().threads().orElse(Runtime.getRuntime().availableProcessors());
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.pool().queue()), runnable -> {
                    Thread thread = new Thread(runnable, "password-hashing-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    public <T> Uni<T> run(Supplier<T> work) {
        return CallerContext.resumeOnCaller(Uni.createFrom().emitter(emitter -> {
            try {
                executor.execute(() -> {
                    try {
                        emitter.complete(work.get());
                    } catch (RuntimeException e) {
                        emitter.fail(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                emitter.fail(Problem.unavailable("The service is busy; try again in a moment."));
            }
        }));
    }

    /** Work queued or running right now (for metrics and tests). */
    public int backlog() {
        return executor.getQueue().size() + executor.getActiveCount();
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }
}
