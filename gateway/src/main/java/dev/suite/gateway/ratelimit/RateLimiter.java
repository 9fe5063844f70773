package dev.suite.gateway.ratelimit;

import java.util.List;

import dev.suite.gateway.GatewayConfig;
import dev.suite.problem.Problem;
import dev.suite.reactive.BoundedRedisCall;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fixed-window request counters per client IP in Redis, shared by every gateway replica: one for all
 * requests, a stricter one for login, register and refresh. Over the limit: 429 + Retry-After. If Redis
 * cannot answer, requests fail closed with 503.
 */
@ApplicationScoped
public class RateLimiter {

    /**
     * Counts one request; returns the milliseconds left in the window when over the limit, else 0. Every key gets a
     * TTL (Redis evicts these first when memory is short). GETEX, not PEXPIRE, sets it: the gateway's Redis user may
     * run only commands that refuse a revocation set (WRONGTYPE), so it cannot shorten one (users.acl).
     */
    private static final String HIT = """
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('GETEX', KEYS[1], 'PX', ARGV[1]) end
            if count > tonumber(ARGV[2]) then return math.max(redis.call('PTTL', KEYS[1]), 1) end
            return 0""";

    private final RedisAPI redis;
    private final GatewayConfig.RateLimits limits;

    RateLimiter(RedisAPI redis, GatewayConfig config) {
        this.redis = redis;
        this.limits = config.rateLimits();
    }

    public Uni<Void> check(String clientIp, Throttle throttle) {
        Uni<Void> all = hit("all", clientIp, limits.allPerWindow());
        return throttle == Throttle.AUTH ? all.chain(() -> hit("auth", clientIp, limits.authPerWindow())) : all;
    }

    private Uni<Void> hit(String bucket, String clientIp, int limit) {
        return BoundedRedisCall.of(redis.eval(List.of(HIT, "1", key(bucket, clientIp), String.valueOf(limits.window().toMillis()),
                        String.valueOf(limit))), limits.timeout(), RateLimiter::unavailable)
                .chain(remaining -> {
                    judge(remaining);
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * The general counter of one request as a command, for a caller that sends it in a round trip it makes anyway
     * (the revocation check of a signed-in request: TokenGuard.checkAlong); {@link #judge} reads its reply. Only
     * the general counter: every route of a signed-in caller is throttled {@link Throttle#GENERAL}, and one whose
     * throttle is AUTH goes through {@link #check}.
     */
    public Request generalHit(String clientIp) {
        return Request.cmd(Command.EVAL).arg(HIT).arg("1").arg(key("all", clientIp)).arg(String.valueOf(limits.window().toMillis()))
                .arg(String.valueOf(limits.allPerWindow()));
    }

    /** Throws 429 with Retry-After when the counter's reply says the window's limit is spent. */
    public void judge(Response remaining) {
        if (remaining.toLong() > 0) {
            throw Problem.tooManyRequests((remaining.toLong() + 999) / 1000);
        }
    }

    /** What a client gets when Redis cannot count its request: 503, closed. */
    public static Problem unavailable(String reason) {
        return Problem.unavailable("Rate limiting is unavailable right now.");
    }

    private static String key(String bucket, String clientIp) {
        return "ratelimit:" + bucket + ":" + clientIp;
    }
}
