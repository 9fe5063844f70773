package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local Redis Cluster (issue 25) on a stack of its own: it forms over TLS, a service's login may learn the slot
 * map its client needs and use its own keys, and can change nothing about the cluster.
 */
class RedisClusterTest {

    private static LocalStack stack;
    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        stack = LocalStack.startNew();
        cluster = stack.startRedisCluster();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * The attack: a service's Redis password leaks. On a cluster node it must not take slots, forget or fail over nodes,
     * introduce a node of the attacker's, or reset the node: only read the slot map and its own keys.
     */
    @Test
    void aServiceLoginMayReadTheSlotMapButNotReshapeTheCluster() {
        String bucket = "revoked:{buckets}:1";
        LocalRedis home = cluster.nodeOf(bucket);
        try (RespClient auth = RespClient.as(home, "auth-service", LocalStack.redisPassword(stack.secrets(), "auth-service"))) {
            assertThat(auth.call("CLUSTER", "SLOTS")).as("the slot map the client needs").startsWith("[[");
            assertThat(auth.call("SADD", bucket, "jti:x")).isEqualTo(":1");
            assertThat(auth.call("SADD", "revoked:{buckets}:2", "jti:x")).as("the same slot, the same node").isEqualTo(":1");
            assertThat(auth.call("CLUSTER", "ADDSLOTS", "0")).startsWith("-NOPERM");
            assertThat(auth.call("CLUSTER", "MEET", "203.0.113.7", "6379")).startsWith("-NOPERM");
            assertThat(auth.call("CLUSTER", "FAILOVER")).startsWith("-NOPERM");
            assertThat(auth.call("CLUSTER", "RESET")).startsWith("-NOPERM");
            assertThat(auth.call("CLUSTER", "FORGET", "0123456789abcdef0123456789abcdef01234567")).startsWith("-NOPERM");
            assertThat(auth.call("CLUSTER", "SETSLOT", "0", "MIGRATING", "0123456789abcdef0123456789abcdef01234567")).startsWith("-NOPERM");
            assertThat(auth.call("SET", "ratelimit:all:10.0.0.1", "0")).as("another service's keys").startsWith("-NOPERM");
        }
        try (RespClient users = RespClient.as(home, "user-service", LocalStack.redisPassword(stack.secrets(), "user-service"))) {
            assertThat(users.call("SMISMEMBER", bucket, "jti:x")).isEqualTo("[:1]");
            assertThat(users.call("SADD", bucket, "jti:y")).startsWith("-NOPERM");
        }
    }

    /** Every node serves its third of the slots and sends a client elsewhere for the others. */
    @Test
    void aKeyLivesOnTheNodeOfItsSlotAndTheOthersRedirect() {
        String key = "revoked:{buckets}:7";
        LocalRedis home = cluster.nodeOf(key);
        assertThat(cluster.operatorCall(home, "SADD", key, "jti:z")).isEqualTo(":1");
        for (LocalRedis node : cluster.nodes()) {
            if (node != home) {
                assertThat(cluster.operatorCall(node, "SISMEMBER", key, "jti:z")).startsWith("-MOVED");
            }
        }
    }
}
