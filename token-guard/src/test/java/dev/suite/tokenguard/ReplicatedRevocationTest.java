package dev.suite.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import dev.suite.localstack.LocalRedis;
import dev.suite.localstack.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Inject;

/**
 * Issue 25: Redis replicates asynchronously, so a primary that fails right after acknowledging a revocation takes it
 * along, and the replica promoted in its place honours the revoked token again. With
 * {@code token-guard.revocation.replicas=1} a revocation is acknowledged only once a replica holds it. Against a real
 * replica of the shared stack's Redis (TLS replication, the same binary).
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
@TestProfile(ReplicatedRevocationTest.OneReplicaRequired.class)
class ReplicatedRevocationTest {

    public static class OneReplicaRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("token-guard.revocation.replicas", "1");
        }
    }

    private static LocalRedis replica;

    @Inject
    RevocationStore revocations;

    @Inject
    Vertx vertx;

    @BeforeAll
    static void startReplica() {
        replica = LocalStack.shared().startRedisReplica();
    }

    @AfterAll
    static void stopReplica() {
        replica.stop();
    }

    /** A revocation acknowledged with one replica attached is on that replica, and still there once it is promoted. */
    @Test
    void anAcknowledgedRevocationIsOnTheReplicaThatWouldBePromoted() throws InterruptedException {
        awaitReplicaLinkUp();
        String tokenId = UUID.randomUUID().toString();

        revocations.revokeTokenId(tokenId).await().atMost(Duration.ofSeconds(5));

        // No waiting here: the acknowledgement itself must mean the replica has it.
        assertThat(onReplica(Request.cmd(Command.KEYS).arg("revoked:*")).stream().map(Response::toString)
                .filter(key -> !key.endsWith("swept"))
                .anyMatch(key -> onReplicaOne(Request.cmd(Command.SISMEMBER).arg(key).arg("jti:" + tokenId)).toInteger() == 1))
                .as("the revoked id on the replica when the revocation was acknowledged").isTrue();
    }

    /**
     * The attack: the replica stops taking the stream (a hung host, a partition) and the primary goes on answering.
     * A revocation must then fail closed (503 to whoever asked for it), never be acknowledged as done; once the
     * replica answers again, revocations are acknowledged again.
     */
    @Test
    void aRevocationNoReplicaHoldsIsNeverAcknowledged() throws InterruptedException {
        awaitReplicaLinkUp();
        replica.freeze();
        try {
            assertThatThrownBy(() -> revocations.revokeTokenId(UUID.randomUUID().toString()).await().atMost(Duration.ofSeconds(5)))
                    .isInstanceOf(RevocationUnavailableException.class)
                    .satisfies(e -> assertThat(((RevocationUnavailableException) e).status()).isEqualTo(503));
            assertThatThrownBy(() -> revocations.revokeSession(UUID.randomUUID().toString()).await().atMost(Duration.ofSeconds(5)))
                    .isInstanceOf(RevocationUnavailableException.class);
        } finally {
            replica.thaw();
        }
        awaitReplicaLinkUp();
        revocations.revokeTokenId(UUID.randomUUID().toString()).await().atMost(Duration.ofSeconds(5));
    }

    private void awaitReplicaLinkUp() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until) {
            try {
                if (onReplicaOne(Request.cmd(Command.INFO).arg("replication")).toString().contains("master_link_status:up")) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // Still starting.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the replica never linked up with the primary");
    }

    private List<Response> onReplica(Request request) {
        List<Response> items = new java.util.ArrayList<>();
        onReplicaOne(request).forEach(items::add);
        return items;
    }

    /** One command on the replica, as the operator (user default), over TLS trusting the suite CA alone. */
    private Response onReplicaOne(Request request) {
        LocalStack stack = LocalStack.shared();
        RedisOptions options = new RedisOptions().setConnectionString(replica.url() + "?user=default")
                .setPassword(LocalStack.redisPassword(stack.secrets(), "default"));
        options.getNetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(new PemTrustOptions().addCertPath(stack.secrets().tls().caCert().toString()));
        Redis client = Redis.createClient(vertx, options);
        try {
            return client.send(request).await().atMost(Duration.ofSeconds(5));
        } finally {
            client.close();
        }
    }

}
