package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local Sentinel group (issue 25) on a stack of its own: the replica is promoted when the primary dies, and a
 * service's Sentinel login can learn where the primary is but can change nothing about the group.
 */
class RedisSentinelsTest {

    private static LocalStack stack;
    private static RedisSentinels group;

    @BeforeAll
    static void start() {
        stack = LocalStack.startNew();
        group = stack.startRedisSentinels();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * The attack: a service's Redis password leaks (it is in the service's memory and Vault path). On a Sentinel it
     * must not force a failover, re-point the group at a Redis of the attacker's, or read the operator's settings.
     */
    @Test
    void aServiceLoginOnASentinelMayOnlyAskWhereThePrimaryIs() {
        LocalRedis sentinel = group.sentinels().get(0);
        try (RespClient gateway = RespClient.as(sentinel, "gateway", LocalStack.redisPassword(stack.secrets(), "gateway"))) {
            assertThat(gateway.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", RedisSentinels.MASTER_NAME))
                    .isEqualTo("[" + stack.redis().host().bindAddress() + ", " + group.primaryPort() + "]");
            assertThat(gateway.call("SENTINEL", "FAILOVER", RedisSentinels.MASTER_NAME)).startsWith("-NOPERM");
            assertThat(gateway.call("SENTINEL", "SET", RedisSentinels.MASTER_NAME, "auth-pass", "x")).startsWith("-NOPERM");
            assertThat(gateway.call("SENTINEL", "REMOVE", RedisSentinels.MASTER_NAME)).startsWith("-NOPERM");
            assertThat(gateway.call("SENTINEL", "MONITOR", "evil", "203.0.113.7", "6379", "1")).startsWith("-NOPERM");
            assertThat(gateway.call("SENTINEL", "MASTER", RedisSentinels.MASTER_NAME)).startsWith("-NOPERM");
            assertThat(gateway.call("SENTINEL", "CONFIG", "SET", "resolve-hostnames", "yes")).startsWith("-NOPERM");
            assertThat(gateway.call("ACL", "LIST")).startsWith("-NOPERM");
            assertThat(gateway.call("SUBSCRIBE", "+switch-master")).startsWith("-NOPERM");
        }
    }

    /**
     * The primary dies (SIGKILL): the Sentinels promote a replica, which then takes writes, and the other replica
     * follows it (so a revocation that waits for one replica still finds one).
     */
    @Test
    void theReplicaIsPromotedWhenThePrimaryDies() throws InterruptedException {
        assertThat(group.primaryPort()).isEqualTo(stack.redis().port());
        long killed = System.nanoTime();
        group.firstPrimary().kill();
        long deadline = killed + Duration.ofSeconds(30).toNanos();
        while (!group.replicas().contains(group.primary()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        LocalRedis promoted = group.primary();
        assertThat(group.replicas()).as("the primary the Sentinels name").contains(promoted);
        System.out.printf("[redis-sentinels] replica promoted %d ms after the primary was killed%n", (System.nanoTime() - killed) / 1_000_000);
        try (RespClient operator = RespClient.as(promoted, "default", LocalStack.redisPassword(stack.secrets(), "default"))) {
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String reply = operator.call("SET", "promoted", "yes");
            while (!reply.equals("+OK") && System.nanoTime() < until) {
                Thread.sleep(100);
                reply = operator.call("SET", "promoted", "yes");
            }
            assertThat(reply).as("a write on the promoted replica").isEqualTo("+OK");
            reply = operator.call("WAIT", "1", "5000");
            until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!reply.equals(":1") && System.nanoTime() < until) {
                Thread.sleep(200);
                operator.call("SET", "promoted", "yes");
                reply = operator.call("WAIT", "1", "1000");
            }
            assertThat(reply).as("the other replica holds the new primary's write").isEqualTo(":1");
        }
    }
}
