package dev.suite.auth.throttle;

import java.time.Duration;
import java.util.List;

import dev.suite.problem.Problem;
import dev.suite.reactive.BoundedRedisCall;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How many mails of one kind an address may get in a window, whoever asks for them: a fixed-window counter per address
 * (its digest, as the guess throttle keys accounts) in Redis, shared by every replica. The request throttles already
 * slow one client and one address down; this is the hard cap on what reaches the inbox, so that a flood of reset
 * requests, spread over many addresses of the attacker's and over time, still sends the victim a handful of mails.
 */
@ApplicationScoped
public class MailBudget {

    /** KEYS: the counter. ARGV: window in ms. Counts this mail and answers the count in the window so far. */
    private static final String SPEND = """
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return count""";

    private final RedisAPI redis;
    private final GuessThrottle.Config throttle;

    MailBudget(RedisAPI redis, GuessThrottle.Config throttle) {
        this.redis = redis;
        this.throttle = throttle;
    }

    /** Counts one mail of {@code kind} to {@code normalisedEmail}; true if it is within {@code limit} per {@code window}. */
    public Uni<Boolean> spend(String kind, String normalisedEmail, int limit, Duration window) {
        String key = "login:mail:" + kind + ":" + Guesser.digest(normalisedEmail);
        return BoundedRedisCall.of(redis.eval(List.of(SPEND, "1", key, String.valueOf(window.toMillis()))), throttle.timeout(),
                reason -> Problem.unavailable("Mail cannot be counted right now."))
                .map(count -> count.toLong() <= limit);
    }
}
