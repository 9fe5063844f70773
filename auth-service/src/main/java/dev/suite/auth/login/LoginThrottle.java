package dev.suite.auth.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import dev.suite.problem.Problem;
import dev.suite.tokenguard.CallerContext;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Failed-login counters per account and per client IP, in Redis so every replica sees them, with exponential
 * back-off: after {@code threshold} failures each further one doubles the wait, up to {@code max-delay}; counts
 * fade after {@code window}. Keyed by the email's hash whether or not the account exists, so a lock says nothing
 * about existence, and it always ends: nobody can lock an account for good. If Redis cannot answer, logins fail
 * closed with 503.
 */
@ApplicationScoped
public class LoginThrottle {

    @ConfigMapping(prefix = "auth.login-throttle")
    public interface Config {
        @WithDefault("5")
        int accountThreshold();

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

    /** Returns the longer remaining lock of the two keys, in seconds (0 = not locked). */
    private static final String REMAINING = """
            local a = redis.call('PTTL', KEYS[1])
            local b = redis.call('PTTL', KEYS[2])
            return math.max(a, b, 0)""";

    /** Counts a failure; past the threshold, locks for base * 2^(excess), capped. */
    private static final String FAIL = """
            local result = {}
            for i = 1, 2 do
              local count = redis.call('INCR', KEYS[i])
              redis.call('PEXPIRE', KEYS[i], ARGV[1])
              local excess = count - tonumber(ARGV[i + 1])
              if excess >= 0 then
                local delay = math.min(tonumber(ARGV[4]) * (2 ^ math.min(excess, 30)), tonumber(ARGV[5]))
                redis.call('SET', KEYS[i + 2], '1', 'PX', math.floor(delay))
              end
            end
            return 1""";

    private final RedisAPI redis;
    private final Config config;

    LoginThrottle(RedisAPI redis, Config config) {
        this.redis = redis;
        this.config = config;
    }

    /** Fails with 429 + Retry-After while the account or the IP is locked. */
    public Uni<Void> check(String email, String clientIp) {
        return guarded(redis.eval(List.of(REMAINING, "2", lockKey("acct", digest(email)), lockKey("ip", clientIp))))
                .chain(remaining -> {
                    long millis = remaining.toLong();
                    return millis > 0 ? Uni.createFrom().failure(Problem.tooManyRequests((millis + 999) / 1000))
                            : Uni.createFrom().voidItem();
                });
    }

    public Uni<Void> recordFailure(String email, String clientIp) {
        String account = digest(email);
        return guarded(redis.eval(List.of(FAIL, "4", countKey("acct", account), countKey("ip", clientIp),
                lockKey("acct", account), lockKey("ip", clientIp),
                String.valueOf(config.window().toMillis()), String.valueOf(config.accountThreshold()),
                String.valueOf(config.ipThreshold()), String.valueOf(config.baseDelay().toMillis()),
                String.valueOf(config.maxDelay().toMillis())))).replaceWithVoid();
    }

    /** A successful login clears the account's counter (not the IP's: one success must not unlock a spray). */
    public Uni<Void> recordSuccess(String email) {
        String account = digest(email);
        return guarded(redis.del(List.of(countKey("acct", account), lockKey("acct", account)))).replaceWithVoid();
    }

    private Uni<Response> guarded(Uni<Response> call) {
        return CallerContext.resumeOnCaller(call.ifNoItem().after(config.timeout())
                .failWith(() -> Problem.unavailable("Login is unavailable right now."))
                .onFailure(failure -> !(failure instanceof Problem))
                .transform(failure -> Problem.unavailable("Login is unavailable right now.")));
    }

    private static String countKey(String kind, String id) {
        return "login:fail:" + kind + ":" + id;
    }

    private static String lockKey(String kind, String id) {
        return "login:lock:" + kind + ":" + id;
    }

    private static String digest(String email) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
