package dev.suite.bench.hashing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The physical limit of logins: password verifications per second with every core busy, at the configured settings,
 * with the library the server uses (Bouncy Castle for both: the auth service's BcryptHasher, and Keycloak's argon2
 * provider). A login cannot be cheaper than one of these, so logins/s divided by this says how much the rest of the
 * login path costs, whatever the hasher: that is how the suite (bcrypt) and Keycloak (argon2id) compare.
 */
public final class HashLimit {

    /** What the suite's limit measures, as results.json names it. */
    public static final String BCRYPT = "bcrypt $2b$ (Bouncy Castle, as the auth service), input of its pre-hash's shape";
    /** What Keycloak's limit measures. */
    public static final String ARGON2 = "argon2 (Bouncy Castle's Argon2BytesGenerator, as Keycloak's argon2 provider)";

    /** {@code parameters}: what sets the work of one hash (bcrypt: cost; argon2: type, version, memory, iterations...). */
    public record Result(String algorithm, Map<String, Object> parameters, int threads, double seconds, long hashes) {
        public double perSecond() {
            return hashes / seconds;
        }

        /** Two measurements as one: all their hashes over all their time. */
        public static Result mean(Result a, Result b) {
            return new Result(a.algorithm, a.parameters, a.threads, a.seconds + b.seconds, a.hashes + b.hashes);
        }

        /** "bcrypt cost 12" or "argon2 type=id, memory_kib=7168, ...": for the console. */
        public String describe() {
            StringBuilder text = new StringBuilder(algorithm.substring(0, algorithm.indexOf(' ')));
            parameters.forEach((key, value) -> text.append(text.indexOf("=") < 0 ? " " : ", ").append(key).append('=').append(value));
            return text.toString();
        }
    }

    /** Keycloak's argon2 settings, as it stores them with each password credential. */
    public record Argon2Settings(String type, String version, int memoryKiB, int iterations, int parallelism, int hashLength) {
        int typeId() {
            return switch (type) {
                case "d" -> Argon2Parameters.ARGON2_d;
                case "i" -> Argon2Parameters.ARGON2_i;
                case "id" -> Argon2Parameters.ARGON2_id;
                default -> throw new IllegalArgumentException("Unknown argon2 type " + type);
            };
        }

        int versionId() {
            return switch (version) {
                case "1.0" -> Argon2Parameters.ARGON2_VERSION_10;
                case "1.3" -> Argon2Parameters.ARGON2_VERSION_13;
                default -> throw new IllegalArgumentException("Unknown argon2 version " + version);
            };
        }

        public Map<String, Object> parameters() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("type", type);
            p.put("version", version);
            p.put("memory_kib", memoryKiB);
            p.put("iterations", iterations);
            p.put("parallelism", parallelism);
            p.put("hash_length", hashLength);
            return p;
        }
    }

    private HashLimit() {
    }

    public static Result bcrypt(int cost, int threads, Duration duration) throws InterruptedException {
        byte[] input = BcryptInput.bytes(BcryptInput.random());
        String stored = OpenBSDBCrypt.generate("2b", input, new byte[16], cost);
        long[] hashes = run(threads, duration, () -> () -> OpenBSDBCrypt.checkPassword(stored, input));
        return new Result(BCRYPT, Map.of("cost", cost), threads, hashes[1] / 1e9, hashes[0]);
    }

    /** Verifications as Keycloak runs them: derive the hash of the typed password with the stored salt, compare. */
    public static Result argon2(Argon2Settings settings, int threads, Duration duration) throws InterruptedException {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        char[] password = "quartz lantern 7 meadow violet orbit".toCharArray();
        Argon2Parameters parameters = new Argon2Parameters.Builder(settings.typeId()).withVersion(settings.versionId())
                .withMemoryAsKB(settings.memoryKiB()).withIterations(settings.iterations()).withParallelism(settings.parallelism())
                .withSalt(salt).build();
        byte[] stored = derive(parameters, password, settings.hashLength());
        long[] hashes = run(threads, duration, () -> () -> java.security.MessageDigest.isEqual(stored,
                derive(parameters, password, settings.hashLength())));
        return new Result(ARGON2, settings.parameters(), threads, hashes[1] / 1e9, hashes[0]);
    }

    private static byte[] derive(Argon2Parameters parameters, char[] password, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    /** {hashes, nanoseconds}: every thread verifying until the deadline, counted to the last finished hash. */
    private static long[] run(int threads, Duration duration, Supplier<BooleanSupplier> verifiers) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            BooleanSupplier verify = verifiers.get();
            workers.add(new Thread(() -> {
                while (!stop.get()) {
                    if (!verify.getAsBoolean()) {
                        throw new IllegalStateException("the hasher did not verify its own hash");
                    }
                    done.increment();
                }
            }, "hash-limit-" + i));
        }
        long started = System.nanoTime();
        workers.forEach(Thread::start);
        Thread.sleep(duration.toMillis());
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        // The elapsed time includes the hashes that ran past the deadline, since they are counted.
        return new long[] { done.sum(), System.nanoTime() - started };
    }
}
