package dev.suite.system.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Requests that keep going while a test breaks something, with every outcome recorded by name. */
public final class Background implements AutoCloseable {

    /** One answer (or failure, status -1): how long it took and when it completed ({@link System#nanoTime()}). */
    public record Outcome(String name, int status, long millis, String failure, long completedAt) {
    }

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** Repeats {@code request} on its own thread, a few ms apart, until {@link #close()}. */
    public Background repeat(String name, Supplier<Answer> request) {
        running.put(name, true);
        threads.submit(() -> {
            while (!stopped) {
                long started = System.nanoTime();
                try {
                    Answer answer = request.get();
                    outcomes.add(new Outcome(name, answer.status(), answer.millis(), null, System.nanoTime()));
                } catch (RuntimeException | AssertionError e) {
                    outcomes.add(new Outcome(name, -1, (System.nanoTime() - started) / 1_000_000, String.valueOf(e.getMessage()),
                            System.nanoTime()));
                }
                pause(20);
            }
        });
        return this;
    }

    /** Milliseconds from {@code since} until {@code name} first answered {@code status}; -1 if not within the bound. */
    public long millisUntil(String name, int status, long since, long timeoutMillis) {
        long deadline = since + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            for (Outcome o : outcomes) {
                if (o.name().equals(name) && o.status() == status && o.completedAt() > since) {
                    return (o.completedAt() - since) / 1_000_000;
                }
            }
            pause(50);
        }
        return -1;
    }

    public List<Outcome> outcomes(String name) {
        return outcomes.stream().filter(o -> o.name().equals(name)).toList();
    }

    @Override
    public void close() {
        stopped = true;
        threads.shutdown();
        try {
            if (!threads.awaitTermination(Http.TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls until {@code request} answers {@code status}; returns the milliseconds that took, or -1 on time-out. */
    public static long millisUntil(int status, Supplier<Answer> request, long timeoutMillis) {
        long started = System.nanoTime();
        while ((System.nanoTime() - started) / 1_000_000 < timeoutMillis) {
            try {
                if (request.get().status() == status) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
            } catch (RuntimeException e) {
                // not back yet
            }
            pause(100);
        }
        return -1;
    }
}
