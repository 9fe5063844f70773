package dev.suite.bench.hashing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The physical limit of logins: bcrypt verifications per second with every core busy, at the configured cost,
 * with the auth service's library (Bouncy Castle, as in its BcryptHasher) on an input of its pre-hash's shape
 * ({@link BcryptInput}). A login cannot be cheaper than one of these, so logins/s divided by this says how much the
 * rest of the login path costs.
 */
public final class HashLimit {

    /** What is measured, as results.json names it. */
    public static final String ALGORITHM = "bcrypt $2b$ (Bouncy Castle, as the auth service), input of its pre-hash's shape";

    public record Result(int cost, int threads, double seconds, long hashes) {
        public double perSecond() {
            return hashes / seconds;
        }

        /** Two measurements as one: all their hashes over all their time. */
        public static Result mean(Result a, Result b) {
            return new Result(a.cost, a.threads, a.seconds + b.seconds, a.hashes + b.hashes);
        }
    }

    private HashLimit() {
    }

    public static Result measure(int cost, int threads, Duration duration) throws InterruptedException {
        byte[] input = BcryptInput.bytes(BcryptInput.random());
        String stored = OpenBSDBCrypt.generate("2b", input, new byte[16], cost);
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                while (!stop.get()) {
                    if (!OpenBSDBCrypt.checkPassword(stored, input)) {
                        throw new IllegalStateException("bcrypt did not verify its own hash");
                    }
                    done.increment();
                }
            }, "hash-limit-" + i);
            workers.add(worker);
        }
        long started = System.nanoTime();
        workers.forEach(Thread::start);
        Thread.sleep(duration.toMillis());
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        // Counted to the last finished hash, so the elapsed time includes the hashes that ran past the deadline.
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(cost, threads, seconds, done.sum());
    }
}
