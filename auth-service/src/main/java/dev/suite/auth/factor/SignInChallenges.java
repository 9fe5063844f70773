package dev.suite.auth.factor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.suite.problem.Problem;
import dev.suite.reactive.BoundedRedisCall;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The step between a right password and the second factor: a random 256-bit challenge, good for one account, for
 * {@code challenge-lifetime}, for the second step only (it is no session and opens nothing by itself), spent by the
 * sign-in it completes. Redis keeps only its SHA-256 (under the guess throttle's {@code login:} keys, the auth
 * service's ACL), with the account and the device the password came from, so every replica finds it.
 */
@ApplicationScoped
public class SignInChallenges {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "login:second-factor:";

    /** A challenge for the client (shown once) and when it dies. */
    public record Issued(String challenge, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[expiresAt=" + expiresAt + "]"; // never the challenge
        }
    }

    /**
     * What a live challenge stands for: the account whose password was right, the known device it came from, and which
     * password it was (a digest of its hash: a challenge dies with the password it was earned with).
     */
    public record Pending(UUID accountId, Optional<String> deviceId, String passwordDigest) {

        /** Whether {@code currentHash} is still the password this challenge was earned with. */
        public boolean earnedWith(String currentHash) {
            return passwordDigest.equals(sha256(currentHash));
        }
    }

    private final RedisAPI redis;
    private final SecondFactorConfig config;

    SignInChallenges(RedisAPI redis, SecondFactorConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** A challenge for {@code accountId}, earned with the password whose stored hash is {@code passwordHash}. */
    public Uni<Issued> issue(UUID accountId, Optional<String> deviceId, String passwordHash) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String value = accountId + "|" + deviceId.orElse("") + "|" + sha256(passwordHash);
        return bounded(redis.set(List.of(key(challenge), value, "PX", String.valueOf(config.challengeLifetime().toMillis()))))
                .replaceWith(new Issued(challenge, Instant.now().plus(config.challengeLifetime())));
    }

    /** The live challenge's account and device; empty when it is unknown, expired or spent. */
    public Uni<Optional<Pending>> find(String challenge) {
        if (challenge == null || challenge.isBlank() || challenge.length() > 100) {
            return Uni.createFrom().item(Optional.empty());
        }
        return bounded(redis.get(key(challenge))).map(found -> {
            if (found == null) {
                return Optional.empty();
            }
            String[] parts = found.toString().split("\\|", -1);
            return Optional.of(new Pending(UUID.fromString(parts[0]), parts[1].isEmpty() ? Optional.empty() : Optional.of(parts[1]),
                    parts.length > 2 ? parts[2] : ""));
        });
    }

    /** Spends the challenge: true for exactly one caller, however many present it at once. */
    public Uni<Boolean> spend(String challenge) {
        return bounded(redis.del(List.of(key(challenge)))).map(deleted -> deleted != null && deleted.toLong() == 1);
    }

    private Uni<Response> bounded(Uni<Response> call) {
        return BoundedRedisCall.of(call, config.redisTimeout(), reason -> Problem.unavailable("Sign-in is unavailable right now."));
    }

    private static String key(String challenge) {
        return PREFIX + sha256(challenge);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
