package dev.suite.auth.throttle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.suite.problem.Problem;
import dev.suite.reactive.BoundedRedisCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Guess counters for every check of a secret the user knows (login, password change, account deletion, a reset token),
 * and for reset requests (counted apart), in Redis
 * so every replica sees them, with exponential back-off: past a key's threshold each further guess doubles the
 * wait, up to {@code max-delay}; counts fade after {@code window}. Keys are a {@link Guesser}'s: per account and
 * client address for unknown clients, per device or session for known ones, so the owner's own browser is never
 * locked out by anybody else's guesses. A guess is counted before the password is hashed, atomically with the
 * lock check, so a burst of parallel guesses cannot all pass the check before the first failure is recorded; a
 * correct guess gives its count back. If Redis cannot answer, checks fail closed with 503.
 */
@ApplicationScoped
public class GuessThrottle {

    @ConfigMapping(prefix = "auth.login-throttle")
    public interface Config {
        /** Guesses per account from unknown clients, and per known device or session, before the back-off starts. */
        @WithDefault("5")
        int accountThreshold();

        /** Guesses from one client address (an IPv6 /64) at any accounts before the back-off starts. */
        @WithDefault("20")
        int ipThreshold();

        @WithDefault("PT1S")
        Duration baseDelay();

        @WithDefault("PT15M")
        Duration maxDelay();

        @WithDefault("PT1H")
        Duration window();

        @WithDefault("PT0.5S")
        Duration timeout();
    }

    /**
     * KEYS: n counters, then their n locks. ARGV: window, base delay, max delay, then each counter's threshold.
     * Returns the longest remaining lock in ms (nothing counted), or 0 after counting this guess on every key.
     */
    private static final String BEGIN = """
            local n = #KEYS / 2
            local wait = 0
            for i = 1, n do
              local ttl = redis.call('PTTL', KEYS[n + i])
              if ttl > wait then wait = ttl end
            end
            if wait > 0 then return wait end
            for i = 1, n do
              local count = redis.call('INCR', KEYS[i])
              redis.call('PEXPIRE', KEYS[i], ARGV[1])
              local excess = count - tonumber(ARGV[3 + i])
              if excess >= 0 then
                local delay = math.min(tonumber(ARGV[2]) * (2 ^ math.min(excess, 30)), tonumber(ARGV[3]))
                redis.call('SET', KEYS[n + i], '1', 'PX', math.floor(delay))
              end
            end
            return 0""";

    /**
     * KEYS: n counters, then their n locks. ARGV: per counter, "clear" (forget its failures) or its threshold (give
     * this guess back, unlock if now below the threshold).
     */
    private static final String GIVE_BACK = """
            local n = #KEYS / 2
            for i = 1, n do
              if ARGV[i] == 'clear' then
                redis.call('DEL', KEYS[i], KEYS[n + i])
              else
                local count = redis.call('DECR', KEYS[i])
                if count <= 0 then redis.call('DEL', KEYS[i]) end
                if count < tonumber(ARGV[i]) then redis.call('DEL', KEYS[n + i]) end
              end
            end
            return 1""";

    private final RedisAPI redis;
    private final Config config;
    /** Guesses refused while their guesser was locked: a rise is a guessing attack (deploy/k8s/monitoring alerts on it). */
    private final Counter refusedWhileLocked;

    GuessThrottle(RedisAPI redis, Config config, MeterRegistry metrics) {
        this.redis = redis;
        this.config = config;
        this.refusedWhileLocked = Counter.builder("suite.login.locked.refusals")
                .description("Password guesses refused with 429 because their account, device, session or address was locked")
                .register(metrics);
    }

    /** Counts one guess before any hashing; fails with 429 + Retry-After (and counts nothing) while a key is locked. */
    public Uni<Void> begin(Guesser guesser) {
        List<String> args = new ArrayList<>();
        args.add(BEGIN);
        args.add(String.valueOf(guesser.keys().size() * 2));
        addKeys(args, guesser);
        args.add(String.valueOf(config.window().toMillis()));
        args.add(String.valueOf(config.baseDelay().toMillis()));
        args.add(String.valueOf(config.maxDelay().toMillis()));
        guesser.keys().forEach(key -> args.add(String.valueOf(threshold(key))));
        return guarded(redis.eval(args)).chain(remaining -> {
            long millis = remaining.toLong();
            if (millis <= 0) {
                return Uni.createFrom().voidItem();
            }
            refusedWhileLocked.increment();
            return Uni.createFrom().failure(Problem.tooManyRequests((millis + 999) / 1000));
        });
    }

    /**
     * The guess was right: the account's (device's, session's) failures are forgotten, the client address gets its
     * guess back (one success must not unlock a spray from it, so its other failures stay).
     */
    public Uni<Void> succeeded(Guesser guesser) {
        return giveBack(guesser, key -> Guesser.isClientAddress(key) ? String.valueOf(config.ipThreshold()) : "clear");
    }

    /**
     * The guess got no verdict (the hashing pool refused it, or failed): it is given back on every key, so that a
     * flood that fills the pool cannot turn the owner's retries into failures that lock her out.
     */
    public Uni<Void> notTried(Guesser guesser) {
        return giveBack(guesser, key -> String.valueOf(threshold(key)));
    }

    private Uni<Void> giveBack(Guesser guesser, java.util.function.Function<String, String> howPerKey) {
        List<String> args = new ArrayList<>();
        args.add(GIVE_BACK);
        args.add(String.valueOf(guesser.keys().size() * 2));
        addKeys(args, guesser);
        guesser.keys().forEach(key -> args.add(howPerKey.apply(key)));
        return guarded(redis.eval(args)).replaceWithVoid();
    }

    private int threshold(String key) {
        return Guesser.isClientAddress(key) ? config.ipThreshold() : config.accountThreshold();
    }

    private static void addKeys(List<String> args, Guesser guesser) {
        guesser.keys().forEach(key -> args.add(failuresKey(key)));
        guesser.keys().forEach(key -> args.add(lockKey(key)));
    }

    /**
     * The counter of one of a guesser's keys. The hash tag {@code {guesses}} puts every counter and lock in one Redis
     * Cluster slot: one script counts a guess on all of a guesser's keys (account, address, device) atomically, and a
     * Cluster refuses a script across slots. (The names before it, {@code login:fail:} and {@code login:lock:}, are
     * forgotten at the upgrade: counts start again, as after their window.)
     */
    public static String failuresKey(String guesserKey) {
        return "login:{guesses}:fail:" + guesserKey;
    }

    /** The lock of one of a guesser's keys (set while it must wait); the same slot as {@link #failuresKey}. */
    private static String lockKey(String guesserKey) {
        return "login:{guesses}:lock:" + guesserKey;
    }

    private Uni<Response> guarded(Uni<Response> call) {
        return BoundedRedisCall.of(call, config.timeout(), reason -> Problem.unavailable("Sign-in is unavailable right now."));
    }
}
