package dev.suite.tokenguard;

import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import jakarta.inject.Singleton;

/**
 * The default Redis client's settings exactly as Quarkus built them (address, user, password from Vault, the TLS
 * registry's trust store and host name check), for the revocation checks' own connections (PipelinedRedis): one
 * configuration, read where Quarkus hands it to its customizers, never rebuilt from the properties a second time.
 */
@Singleton
class RedisSettings implements RedisOptionsCustomizer {

    /** The name Quarkus gives the unnamed client (quarkus.redis.* without a name). */
    static final String DEFAULT_CLIENT = "<default>";

    private final AtomicReference<RedisOptions> captured = new AtomicReference<>();

    @Override
    public void customize(String clientName, RedisOptions options) {
        if (DEFAULT_CLIENT.equals(clientName)) {
            captured.set(new RedisOptions(options));
        }
    }

    /** A copy, for a client of its own; fails if the default client was never built (it is injected before this is read). */
    RedisOptions copy() {
        RedisOptions options = captured.get();
        if (options == null) {
            throw new IllegalStateException("the default Redis client's settings were not captured");
        }
        return new RedisOptions(options);
    }

    /** A Redis Cluster (quarkus.redis.client-type=cluster): no batch or script may span two slots. */
    boolean isCluster() {
        return copy().getType() == RedisClientType.CLUSTER;
    }

    /** Whether a read-only command, a revocation check among them, may be answered by a replica. */
    boolean readsFromReplicas() {
        return readsFromReplicas(copy());
    }

    /**
     * A cluster or replication client with quarkus.redis.replicas share or always sends a batch of read-only commands to
     * a replica; a Sentinel client with quarkus.redis.role=replica sends everything to one. A standalone client has
     * one server.
     */
    static boolean readsFromReplicas(RedisOptions options) {
        return switch (options.getType()) {
            case CLUSTER, REPLICATION -> options.getUseReplicas() != RedisReplicas.NEVER;
            case SENTINEL -> options.getRole() == RedisRole.REPLICA;
            default -> false;
        };
    }
}
