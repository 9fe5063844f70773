package dev.suite.auth.factor;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.suite.problem.Problem;
import dev.suite.reactive.BoundedRedisCall;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The random challenge of one WebAuthn ceremony and what it was issued for (a registration by one session, a sign-in,
 * the second step of one password sign-in). Redis keeps only its SHA-256, under the auth service's {@code login:} keys,
 * for {@code auth.passkeys.ceremony-timeout}; it is taken (read and deleted in one step) before the browser's answer is
 * judged, so a response is judged once whatever its outcome, and replaying it finds no challenge.
 */
@ApplicationScoped
public class PasskeyChallenges {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "login:passkey:";
    /** GET and DEL in one step (GETDEL is not in the auth service's ACL; EVAL runs the two under its rules). */
    private static final String TAKE = "local v = redis.call('GET', KEYS[1]) if v then redis.call('DEL', KEYS[1]) end return v";

    private final RedisAPI redis;
    private final PasskeyConfig config;
    private final SecondFactorConfig factorConfig;

    PasskeyChallenges(RedisAPI redis, PasskeyConfig config, SecondFactorConfig factorConfig) {
        this.redis = redis;
        this.config = config;
        this.factorConfig = factorConfig;
    }

    /** A new challenge (32 random bytes, base64url) standing for {@code purpose}. */
    public Uni<String> issue(String purpose) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return bounded(redis.set(List.of(key(bytes), purpose, "PX", String.valueOf(config.ceremonyTimeout().toMillis()))))
                .replaceWith(challenge);
    }

    /** What the challenge was issued for, once: empty when it is unknown, expired or taken already. */
    public Uni<Optional<String>> take(byte[] challenge) {
        return bounded(redis.eval(List.of(TAKE, "1", key(challenge))))
                .map(found -> found == null ? Optional.<String>empty() : Optional.of(found.toString()));
    }

    private Uni<Response> bounded(Uni<Response> call) {
        return BoundedRedisCall.of(call, factorConfig.redisTimeout(), reason -> Problem.unavailable("Sign-in is unavailable right now."));
    }

    private static String key(byte[] challenge) {
        return PREFIX + SecondFactors.hash(Base64.getUrlEncoder().withoutPadding().encodeToString(challenge));
    }
}
