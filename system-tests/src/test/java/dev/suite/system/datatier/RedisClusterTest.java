package dev.suite.system.datatier;

import static dev.suite.system.support.Browser.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.suite.launcher.SuiteTopology;
import dev.suite.localstack.LocalRedis;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.RedisCluster;
import dev.suite.system.support.Answer;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Http;
import dev.suite.system.support.SuiteOfItsOwn;

/**
 * Issue 25: the whole suite on a Redis Cluster (what a managed cluster gives), every service a cluster client. Every
 * script and batch must keep to one slot, or the cluster refuses it and the suite answers 503 everywhere: sign-up and
 * sign-in (the gateway's rate limit beside the revocation check, the auth service's guess throttle across account and
 * address, the mail budget), a revocation written by the auth service and enforced by the gateway and the user service,
 * and the guess throttle locking an account. On a suite and a stack of its own; its log: system-tests/target/redis-cluster.log.
 */
class RedisClusterTest {

    private static RedisCluster cluster;
    private static SuiteOfItsOwn suite;

    @BeforeAll
    static void startASuiteOnACluster() {
        LocalStack stack = LocalStack.startNew();
        cluster = stack.startRedisCluster();
        suite = SuiteOfItsOwn.start("redis-cluster", stack, topology -> {
            for (String service : List.of(SuiteTopology.AUTH, SuiteTopology.USERS, SuiteTopology.GATEWAY)) {
                topology = topology.withSettings(service, cluster.clientSettings(service));
            }
            return topology;
        });
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void signInRevocationAndTheGuessThrottleWorkOnACluster() {
        String gateway = suite.gatewayUrl();
        Browser reader = Browser.signedUp(gateway, "cluster-reader");
        expect(reader.me(), 200);
        expect(reader.refresh(), 200);
        expect(reader.me(), 200);

        Browser leaving = Browser.signedUp(gateway, "cluster-leaving");
        String kept = leaving.cookie(Browser.ACCESS);
        expect(bearer(gateway, kept), 200);
        expect(leaving.logout(), 204);
        expect(bearer(gateway, kept), 401);
        expect(reader.me(), 200);

        Browser guesser = new Browser(gateway);
        guesser.csrf();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            statuses.add(guesser.login(reader.email(), Browser.PASSWORD + "-wrong-" + i).status());
        }
        assertThat(statuses).as("wrong passwords: 401, then the account's lock (429), never a 503").startsWith(401, 401, 401, 401, 401)
                .contains(429).doesNotContain(503);

        // Each script's keys in one slot: every revocation bucket on one node, every throttle key on one node.
        assertThat(nodesHolding("revoked:{buckets}:*")).as("revocation buckets").containsExactly(cluster.nodeOf("revoked:{buckets}:0"));
        assertThat(nodesHolding("login:{guesses}:*")).as("guess counters and locks").containsExactly(cluster.nodeOf("login:{guesses}:0"));
        assertThat(nodesHolding("revoked:[0-9]*")).as("no bucket under the names before the hash tag (legacy-keys off)").isEmpty();
    }

    private static List<LocalRedis> nodesHolding(String pattern) {
        return cluster.nodes().stream().filter(node -> !cluster.operatorCall(node, "KEYS", pattern).equals("[]")).toList();
    }

    private static Answer bearer(String gateway, String token) {
        return Http.send("GET", gateway + "/api/users/me", Map.of("Authorization", "Bearer " + token), (String) null);
    }
}
