package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN.md invariant 12 in Redis, as attacks on the real server of the local stack: each service's credentials
 * (its ACL user, deploy/k8s/base/redis/users.acl) against what that service must never do. Before the ACL users,
 * every service held the one requirepass password and every command below succeeded.
 */
class RedisAclAttackTest {

    private static final String[] SERVICES = { "auth-service", "user-service", "gateway" };

    static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.shared();
    }

    @Test
    void theGatewayCannotRemoveOrShortenARevocation() {
        String bucket = "revoked:{buckets}:" + UUID.randomUUID();
        String member = "jti:" + UUID.randomUUID();
        try (RespClient operator = as("default"); RespClient gateway = as("gateway")) {
            assertThat(operator.call("SADD", bucket, member)).isEqualTo(":1");
            assertThat(gateway.call("SMISMEMBER", bucket, member)).as("the check it needs").isEqualTo("[:1]");

            for (String[] attack : List.of(
                    new String[] { "SREM", bucket, member },
                    new String[] { "DEL", bucket },
                    new String[] { "UNLINK", bucket },
                    new String[] { "SPOP", bucket },
                    new String[] { "EXPIRE", bucket, "1" },
                    new String[] { "PEXPIRE", bucket, "1" },
                    new String[] { "EXPIREAT", bucket, "1" },
                    new String[] { "SET", bucket, "x" },
                    new String[] { "RENAME", bucket, "ratelimit:stolen" },
                    new String[] { "MOVE", bucket, "1" },
                    new String[] { "RESTORE", bucket, "0", "x", "REPLACE" })) {
                assertThat(gateway.call(attack)).as(String.join(" ", attack)).startsWith("-NOPERM");
            }
            // The writes it has refuse a set: INCR and GETEX (its rate-limit TTL) answer WRONGTYPE.
            assertThat(gateway.call("GETEX", bucket, "PX", "1")).startsWith("-WRONGTYPE");
            assertThat(gateway.call("GETEX", bucket, "PERSIST")).startsWith("-WRONGTYPE");
            assertThat(gateway.call("INCR", bucket)).startsWith("-WRONGTYPE");
            // A script runs under the same user: the commands it is refused stay refused inside EVAL.
            assertThat(gateway.call("EVAL", "return redis.call('SREM', KEYS[1], ARGV[1])", "1", bucket, member))
                    .startsWith("-ERR").contains("can't run this command");
            assertThat(gateway.call("EVAL", "return redis.call('PEXPIRE', KEYS[1], 1)", "1", bucket))
                    .startsWith("-ERR").contains("can't run this command");

            assertThat(operator.call("SISMEMBER", bucket, member)).as("the revocation stands").isEqualTo(":1");
            assertThat(operator.call("PTTL", bucket)).as("and has no expiry").isEqualTo(":-1");
            operator.call("DEL", bucket);
        }
    }

    @Test
    void theUserServiceOnlyReadsRevocationsAndTheGatewayCannotTouchLoginThrottles() {
        String bucket = "revoked:{buckets}:" + UUID.randomUUID();
        try (RespClient users = as("user-service"); RespClient gateway = as("gateway")) {
            assertThat(users.call("SMISMEMBER", bucket, "jti:x")).isEqualTo("[:0]");
            assertThat(users.call("SADD", bucket, "jti:x")).startsWith("-NOPERM");
            assertThat(users.call("EVAL", "return 1", "1", bucket)).startsWith("-NOPERM");
            assertThat(users.call("INCR", "login:{guesses}:fail:ip:10.0.0.1")).startsWith("-NOPERM");
            // A compromised gateway cannot unlock an account under attack, nor count guesses against one.
            assertThat(gateway.call("GETEX", "login:{guesses}:lock:acct:victim", "PERSIST")).startsWith("-NOPERM");
            assertThat(gateway.call("INCR", "login:{guesses}:fail:acct:victim")).startsWith("-NOPERM");
            assertThat(gateway.call("EVAL", "return 1", "1", "login:{guesses}:lock:acct:victim")).startsWith("-NOPERM");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "auth-service", "user-service", "gateway" })
    void noServiceCanRunAnAdministrativeCommand(String service) {
        try (RespClient client = as(service)) {
            for (String[] attack : List.of(
                    new String[] { "FLUSHALL" },
                    new String[] { "FLUSHDB" },
                    new String[] { "CONFIG", "SET", "maxmemory-policy", "allkeys-lru" },
                    new String[] { "CONFIG", "GET", "*" },
                    new String[] { "KEYS", "*" },
                    new String[] { "SCAN", "0" },
                    new String[] { "DEBUG", "OBJECT", "revoked:{buckets}:1" },
                    new String[] { "SCRIPT", "FLUSH" },
                    new String[] { "SCRIPT", "LOAD", "return 1" },
                    new String[] { "ACL", "LIST" },
                    new String[] { "ACL", "SETUSER", service, "+@all" },
                    new String[] { "CLIENT", "LIST" },
                    new String[] { "CLIENT", "KILL", "TYPE", "normal" },
                    new String[] { "SLAVEOF", "127.0.0.1", "1" },
                    new String[] { "BGREWRITEAOF" },
                    new String[] { "SAVE" },
                    new String[] { "MONITOR" },
                    new String[] { "SUBSCRIBE", "x" },
                    new String[] { "PUBLISH", "x", "y" })) {
                assertThat(client.call(attack)).as(service + ": " + String.join(" ", attack)).startsWith("-NOPERM");
            }
            assertThat(client.call("PING")).as("the health check it needs").isEqualTo("+PONG");
        }
    }

    @Test
    void theDefaultUserNeedsTheOperatorsPasswordAndNoServicePasswordOpensAnotherUser() {
        try (RespClient anonymous = new RespClient(stack.redis())) {
            assertThat(anonymous.call("PING")).startsWith("-NOAUTH");
            assertThat(anonymous.call("SMISMEMBER", "revoked:{buckets}:1", "jti:x")).startsWith("-NOAUTH");
            assertThat(anonymous.call("HELLO", "3")).startsWith("-NOAUTH");
            assertThat(anonymous.call("AUTH", "wrong-password")).startsWith("-WRONGPASS");
            assertThat(anonymous.call("AUTH", "default", "")).startsWith("-WRONGPASS");
            assertThat(anonymous.call("AUTH", "default", password("gateway"))).startsWith("-WRONGPASS");
            assertThat(anonymous.call("AUTH", "auth-service", password("gateway"))).startsWith("-WRONGPASS");
            assertThat(anonymous.call("AUTH", "auth-service", password("user-service"))).startsWith("-WRONGPASS");
            assertThat(anonymous.call("AUTH", password("default"))).isEqualTo("+OK");
        }
    }

    /**
     * Rate-limit keys from a flood of client addresses fill the memory budget: with the policy of users.acl's
     * redis.conf (volatile-lru) the flood's keys are evicted and never a revocation; with the old noeviction every
     * write fails (and every request with it, closed). Each on its own small Redis, the stack's binary and users.
     */
    @Test
    void aFloodOfRateLimitKeysEvictsItselfAndNeverARevocation(@TempDir Path volatileLru, @TempDir Path noEviction) {
        List<String> memory = LocalRedis.memorySettings(SuiteRoot.find(), "2mb");
        assertThat(memory).contains("maxmemory-policy volatile-lru");
        Flood evicting = flood(volatileLru, memory);
        assertThat(evicting.revocationsLeft).as("every revocation survives").isEqualTo(evicting.revocations);
        assertThat(evicting.refused).as("no write refused").isZero();
        assertThat(evicting.evicted).as("the flood evicted its own keys").isPositive();

        Flood refusing = flood(noEviction, List.of("maxmemory 2mb", "maxmemory-policy noeviction"));
        assertThat(refusing.refused).as("the old policy: a full Redis refuses every later write (OOM)").isPositive();
    }

    private record Flood(int revocations, int revocationsLeft, int refused, long evicted) {
    }

    private static Flood flood(Path dir, List<String> memory) {
        int port = LocalStack.freePort();
        List<String> users = RedisUsers.in(SuiteRoot.find()).directives(user -> password(user));
        LocalRedis redis = LocalRedis.create(dir, port, users, memory, Host.LOOPBACK, stack.secrets().tls());
        try (RespClient auth = RespClient.as(redis, "auth-service", password("auth-service"));
                RespClient gateway = RespClient.as(redis, "gateway", password("gateway"));
                RespClient operator = RespClient.as(redis, "default", password("default"))) {
            int revocations = 200;
            for (int i = 0; i < revocations; i++) {
                auth.call("SADD", "revoked:{buckets}:" + (i % 10), "jti:" + i);
            }
            // The gateway's own rate-limit script (RateLimiter.HIT), from 60,000 client addresses.
            String hit = "local count = redis.call('INCR', KEYS[1]) "
                    + "if count == 1 then redis.call('GETEX', KEYS[1], 'PX', ARGV[1]) end return 0";
            int refused = 0;
            for (int batch = 0; batch < 60; batch++) {
                List<String[]> commands = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    int n = batch * 1000 + i;
                    commands.add(new String[] { "EVAL", hit, "1", "ratelimit:all:10." + (n >> 16) + "." + ((n >> 8) & 255) + "." + (n & 255),
                            "600000", "100" });
                }
                refused += (int) gateway.pipeline(commands).stream().filter(reply -> reply.startsWith("-")).count();
            }
            int left = 0;
            for (int i = 0; i < revocations; i++) {
                left += operator.call("SISMEMBER", "revoked:{buckets}:" + (i % 10), "jti:" + i).equals(":1") ? 1 : 0;
            }
            String stats = operator.call("INFO", "stats");
            long evicted = stats.lines().filter(line -> line.startsWith("evicted_keys:"))
                    .mapToLong(line -> Long.parseLong(line.substring("evicted_keys:".length()).strip())).sum();
            return new Flood(revocations, left, refused, evicted);
        } finally {
            redis.stop();
        }
    }

    private static RespClient as(String user) {
        return RespClient.as(stack.redis(), user, password(user));
    }

    private static String password(String user) {
        return LocalStack.redisPassword(stack.secrets(), user);
    }
}
