package dev.suite.tokenguard;

import dev.suite.reactive.CallerContext;
import io.quarkus.security.AuthenticationFailedException;
import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The verification keys, cached. A token whose {@code kid} is unknown triggers one refetch, at most once per
 * {@code min-refetch-interval}; keys older than {@code refresh-interval} are refetched in the background. When
 * the auth service is down, the last keys keep working; a kid they do not have is then a 503 (the keys cannot be
 * known), retried at most once a second, never a 401.
 */
@ApplicationScoped
public class JwksCache {

    private static final Logger LOG = Logger.getLogger(JwksCache.class);

    private final JwksSource source;
    private final long refreshNanos;
    private final long minRefetchNanos;

    private volatile List<JsonWebKey> keys = List.of();
    private volatile long fetchedAt;
    private volatile long lastAttemptAt = System.nanoTime() - Duration.ofDays(1).toNanos();
    private volatile Uni<List<JsonWebKey>> inFlight;
    /** Why the last fetch failed; null when it succeeded (or none was tried). */
    private volatile String lastFailure;

    /** After a failed fetch, the next is allowed this soon (a successful fetch waits out min-refetch-interval). */
    private static final long RETRY_AFTER_FAILURE_NANOS = Duration.ofSeconds(1).toNanos();

    JwksCache(JwksSource source, TokenGuardConfig config) {
        this.source = source;
        this.refreshNanos = config.jwks().refreshInterval().toNanos();
        this.minRefetchNanos = config.jwks().minRefetchInterval().toNanos();
    }

    /** The key with this id, fetching the key set once more if it is unknown and a fetch is allowed now. */
    public Uni<JsonWebKey> key(String kid) {
        JsonWebKey known = find(keys, kid);
        if (known != null) {
            if (System.nanoTime() - fetchedAt > refreshNanos) {
                refetch().subscribe().with(ignored -> { }, failure -> { });
            }
            return Uni.createFrom().item(known);
        }
        // Concurrent callers share one fetch: each must get its answer back on its own request's context.
        return CallerContext.resumeOnCaller(refetch()).map(fresh -> {
            JsonWebKey found = find(fresh, kid);
            if (found == null) {
                String failure = lastFailure;
                if (failure != null) {
                    throw new KeysUnavailableException("unknown kid while the JWKS cannot be fetched: " + failure);
                }
                throw new AuthenticationFailedException("unknown kid");
            }
            return found;
        });
    }

    /** Whether the key with this id is among the keys held now: a withdrawn key stops its tokens at once. */
    public boolean holds(String kid) {
        return find(keys, kid) != null;
    }

    /**
     * Fetches the key set now, whatever the intervals say: for the issuer itself after it withdrew a key, so that
     * its own verifier drops the key at once instead of within the refresh interval.
     */
    public synchronized Uni<Void> refetchNow() {
        lastAttemptAt = System.nanoTime() - minRefetchNanos - 1;
        return CallerContext.resumeOnCaller(refetch()).replaceWithVoid();
    }

    /** One fetch at a time and at most one per interval; otherwise the keys already held. */
    private synchronized Uni<List<JsonWebKey>> refetch() {
        if (inFlight != null) {
            return inFlight;
        }
        long now = System.nanoTime();
        if (now - lastAttemptAt < (lastFailure == null ? minRefetchNanos : Math.min(minRefetchNanos, RETRY_AFTER_FAILURE_NANOS))) {
            return Uni.createFrom().item(keys);
        }
        lastAttemptAt = now;
        inFlight = source.fetch()
                .map(JwksCache::parse)
                .invoke(fresh -> {
                    keys = fresh;
                    fetchedAt = System.nanoTime();
                    lastFailure = null;
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Cannot refresh the JWKS (%s); keeping the %d keys held", failure.getMessage(), keys.size());
                    lastFailure = String.valueOf(failure.getMessage());
                    return keys;
                })
                .eventually(this::clearInFlight)
                .memoize().indefinitely();
        return inFlight;
    }

    private synchronized void clearInFlight() {
        inFlight = null;
    }

    private static List<JsonWebKey> parse(String json) {
        try {
            return List.copyOf(new JsonWebKeySet(json).getJsonWebKeys());
        } catch (JoseException e) {
            throw new IllegalStateException("The JWKS is not valid JSON Web Key Set", e);
        }
    }

    private static JsonWebKey find(List<JsonWebKey> keys, String kid) {
        if (kid == null) {
            return null;
        }
        for (JsonWebKey key : keys) {
            if (kid.equals(key.getKeyId()) && (key.getUse() == null || "sig".equals(key.getUse()))) {
                return key;
            }
        }
        return null;
    }
}
