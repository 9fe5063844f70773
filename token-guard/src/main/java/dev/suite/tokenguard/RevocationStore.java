package dev.suite.tokenguard;

import dev.suite.reactive.BoundedRedisCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Revoked token ids and session ids in Redis sets, one set per time bucket of token expiry:
 * {@code revoked:{buckets}:<bucket>} holds members {@code jti:<id>} and {@code sid:<id>} and is deleted by the next write
 * after the last token it can kill has expired (plus the clock skew). Checking a token is one {@code SMISMEMBER} on the set of its
 * own expiry bucket: one round trip, whatever was revoked.
 *
 * <p>The hash tag {@code {buckets}} puts every bucket and the sweep mark in one Redis Cluster slot, because one
 * script writes and sweeps them all (a managed Redis Cluster refuses a script across slots). Before it the names
 * were {@code revoked:<bucket>} and {@code revoked:swept}; with {@code token-guard.revocation.legacy-keys} on, each
 * revocation is written under both names and each check reads both, so replicas of the release before and this one
 * see each other's revocations during a rolling upgrade (see {@link TokenGuardConfig.Revocation#legacyKeys()}).
 *
 * <p>A revoked token id or session goes into every bucket from now to now + the maximum token lifetime, because
 * any live token (and any access token of that session) expires in one of them; nobody revoking needs to know
 * a token's expiry. Memory is bounded: no bucket outlives the tokens it kills by more than one bucket and the time to
 * the next revocation, and buckets carry no TTL, so Redis's eviction (rate-limit keys first) never takes one.
 */
@Startup // so the prod-profile check below stops the start, not the first request
@ApplicationScoped
public class RevocationStore {

    /** What every bucket's name starts with: the hash tag keeps them, and their sweep mark, in one Cluster slot. */
    static final Layout TAGGED = new Layout("revoked:{buckets}:");

    /** The names before the hash tag, read and written beside {@link #TAGGED} while legacy-keys is on. */
    static final Layout LEGACY = new Layout("revoked:");

    /**
     * A naming of the buckets: {@code <prefix><bucket>}, and {@code <prefix>swept}, the sweep mark, which holds the
     * last bucket swept (deleted as expired).
     */
    record Layout(String prefix) {
        String bucket(long bucket) {
            return prefix + bucket;
        }

        String swept() {
            return prefix + "swept";
        }
    }

    /**
     * KEYS: the live buckets in order, then the sweep mark. ARGV: the member, the first live bucket's number, the
     * layout's prefix (the buckets it sweeps are named here; under the hash tag they share the declared keys' slot).
     * A bucket has no TTL, because Redis evicts keys that have one when memory is short (volatile-lru, for the rate
     * limits and throttles), and a revocation must never go that way. Instead each write deletes the buckets that
     * expired since the last one: every earlier write's first bucket was at most the mark + 1 and it wrote as many
     * buckets as this one, so none lies beyond mark + span; span buckets below the mark cover a writer whose clock
     * is behind. A bucket holding anything but a set (only a compromised client can plant one) is replaced.
     */
    private static final String ADD_TO_BUCKETS = """
            local span = #KEYS - 1
            local first = tonumber(ARGV[2])
            local mark = tonumber(redis.call('GET', KEYS[#KEYS]) or (first - 1))
            for b = mark + 1 - span, math.min(first - 1, mark + span) do
              redis.call('DEL', ARGV[3] .. b)
            end
            for i = 1, span do
              local kind = redis.call('TYPE', KEYS[i])['ok']
              if kind ~= 'set' and kind ~= 'none' then redis.call('DEL', KEYS[i]) end
              redis.call('SADD', KEYS[i], ARGV[1])
              redis.call('PERSIST', KEYS[i])
            end
            if first - 1 > mark then redis.call('SET', KEYS[#KEYS], first - 1) end
            return span""";

    private final Redis redis;
    private final PipelinedRedis checks;
    private final long bucketSeconds;
    private final long skewSeconds;
    private final long maxLifetimeSeconds;
    private final Duration timeout;
    private final boolean enabled;
    private final int replicas;
    /** The layouts each revocation is written to and each check reads: the tagged one, and the legacy one while it is on. */
    private final List<Layout> layouts;

    RevocationStore(Redis redis, PipelinedRedis checks, RedisSettings settings, TokenGuardConfig config) {
        this.redis = redis;
        this.checks = checks;
        this.bucketSeconds = Math.max(1, config.revocation().bucket().toSeconds());
        this.skewSeconds = config.clockSkew().toSeconds();
        this.maxLifetimeSeconds = config.maxTokenLifetime().toSeconds();
        this.timeout = config.revocation().timeout();
        this.enabled = config.revocation().enabled();
        this.replicas = config.revocation().replicas();
        refuseDisabledInProd(enabled, ConfigUtils.getProfiles());
        boolean legacy = config.revocation().legacyKeys();
        refuseUnsafeRedisSettings(legacy, settings.isCluster(), settings.readsFromReplicas());
        this.layouts = legacy ? List.of(TAGGED, LEGACY) : List.of(TAGGED);
    }

    /**
     * On a Redis Cluster the legacy names cannot be used (their buckets lie in different slots, which no script or
     * batch may span; a cluster is a new installation anyway, with no revocation under the old names to honour). On any
     * topology a check must not be read from a replica (quarkus.redis.replicas share or always on a cluster or
     * replication client, quarkus.redis.role=replica through Sentinels): replication is asynchronous, so a token
     * revoked a moment ago would still pass there.
     */
    static void refuseUnsafeRedisSettings(boolean legacyKeys, boolean cluster, boolean readsFromReplicas) {
        if (cluster && legacyKeys) {
            throw new IllegalStateException("token-guard.revocation.legacy-keys=true writes revoked:<bucket> names that a Redis Cluster"
                    + " cannot hold in one slot; set it to false (TOKEN_GUARD_REVOCATION_LEGACY_KEYS=false) with quarkus.redis.client-type=cluster");
        }
        if (readsFromReplicas) {
            throw new IllegalStateException("The Redis client would read revocation checks from a replica, which may not hold a revocation"
                    + " yet: leave quarkus.redis.replicas at never (the default) and quarkus.redis.role at master (the default)");
        }
    }

    /** Turning the check off is for the benchmark only: a production service that skipped it would honour revoked tokens. */
    static void refuseDisabledInProd(boolean enabled, List<String> activeProfiles) {
        if (!enabled && activeProfiles.contains("prod")) {
            throw new IllegalStateException("token-guard.revocation.enabled=false is a benchmark setting; the prod profile refuses it");
        }
    }

    /** True when the token's id or its session was revoked. Fails with {@link RevocationUnavailableException}. */
    public Uni<Boolean> isRevoked(VerifiedToken token) {
        if (!enabled) {
            return Uni.createFrom().item(false);
        }
        return guarded(checks.batch(lookups(token))).map(RevocationStore::anyMember);
    }

    /**
     * The same check with the caller's own commands in the same round trip (one pipelined batch, one reply read):
     * the answer holds their replies, then whether the token was revoked; nothing is answered before both are in.
     * Any failure, of Redis or of one reply, fails the whole call with {@code unavailable}: closed, never open.
     */
    Uni<Batch> isRevokedAlong(VerifiedToken token, List<Request> alongside, Function<String, ? extends RuntimeException> unavailable) {
        List<Request> requests = new ArrayList<>(alongside);
        if (enabled) {
            requests.addAll(lookups(token));
        }
        return BoundedRedisCall.of(checks.batch(requests), timeout, unavailable).map(replies -> {
            List<Response> theirs = new ArrayList<>(replies.subList(0, alongside.size()));
            return new Batch(theirs, enabled && anyMember(replies.subList(alongside.size(), replies.size())));
        });
    }

    /** The caller's commands alone, bounded the same way (a token that did not verify is not looked up). */
    Uni<List<Response>> sendAlone(List<Request> commands, Function<String, ? extends RuntimeException> unavailable) {
        return BoundedRedisCall.of(checks.batch(commands), timeout, unavailable);
    }

    /** The replies to the caller's commands, in order, and whether the token was revoked. */
    record Batch(List<Response> alongside, boolean revoked) {
    }

    /** Whether the token's id or its session is a member of the set of the token's expiry bucket, in each layout. */
    private List<Request> lookups(VerifiedToken token) {
        long bucket = bucket(token.expiresAt().getEpochSecond());
        return layouts.stream().map(layout -> Request.cmd(Command.SMISMEMBER).arg(layout.bucket(bucket))
                .arg("jti:" + token.tokenId())
                .arg("sid:" + (token.sessionId() == null ? "" : token.sessionId()))).toList();
    }

    private static boolean anyMember(List<Response> lookups) {
        for (Response lookup : lookups) {
            for (Response member : lookup) {
                if (member.toInteger() == 1) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Revokes one token by its id, whatever its age: the id goes into every bucket a live token can expire in
     * (now - skew to now + the longest lifetime + skew), so the caller never needs to know the token's expiry.
     */
    public Uni<Void> revokeTokenId(String tokenId) {
        return add(liveBuckets(), "jti:" + tokenId);
    }

    /** Revokes every token of a session that is valid now or minted before this call returns. */
    public Uni<Void> revokeSession(String sessionId) {
        return add(liveBuckets(), "sid:" + sessionId);
    }

    /** Every bucket that holds the expiry of a token valid now, or of one minted before the write returns. */
    private List<Long> liveBuckets() {
        long now = Instant.now().getEpochSecond();
        List<Long> buckets = new ArrayList<>();
        for (long b = bucket(now - skewSeconds); b <= bucket(now + maxLifetimeSeconds + skewSeconds); b++) {
            buckets.add(b);
        }
        return buckets;
    }

    /**
     * Adds the member to every bucket and deletes the expired ones, atomically per layout and in one round trip; with
     * {@code replicas} configured, the same connection then WAITs for that many replicas to hold the writes (WAIT
     * counts the writes of its own connection only, hence one batch), and fewer is a failure: never acknowledged.
     */
    private Uni<Void> add(List<Long> buckets, String member) {
        List<Request> requests = new ArrayList<>();
        for (Layout layout : layouts) {
            Request write = Request.cmd(Command.EVAL).arg(ADD_TO_BUCKETS).arg(buckets.size() + 1);
            buckets.forEach(bucket -> write.arg(layout.bucket(bucket)));
            requests.add(write.arg(layout.swept()).arg(member).arg(buckets.get(0)).arg(layout.prefix()));
        }
        int writes = requests.size();
        if (replicas > 0) {
            // Half the bound, so that a replica that is slow or gone is reported as such rather than as a timeout.
            requests.add(Request.cmd(Command.WAIT).arg(replicas).arg(Math.max(1, timeout.toMillis() / 2)));
        }
        return BoundedRedisCall.of(redis.batch(requests), timeout, RevocationUnavailableException::notRecorded).map(replies -> {
            if (replicas > 0 && replies.get(writes).toLong() < replicas) {
                throw RevocationUnavailableException.notRecorded(
                        replies.get(writes).toLong() + " of the " + replicas + " replicas required acknowledged the revocation");
            }
            return null;
        });
    }

    private <T> Uni<T> guarded(Uni<T> call) {
        return BoundedRedisCall.of(call, timeout, RevocationUnavailableException::new);
    }

    private long bucket(long epochSecond) {
        return Math.floorDiv(epochSecond, bucketSeconds);
    }
}
