package dev.suite.localstack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Redis as it runs once it outgrows one instance (issue 25), on this machine: the stack's Redis as the first
 * primary, a replica, and {@value #COUNT} Sentinels that promote the replica when the primary is gone for
 * {@link #DOWN_AFTER} and {@value #QUORUM} of them agree. All of it TLS only with the stack's certificate, the same
 * binary. The services find the primary through the Sentinels ({@link #clientSettings}), logged in there as their
 * own ACL user with their own password, which may only ask where the primary and the other Sentinels are.
 */
public final class RedisSentinels {

    /** The name the Sentinels know the primary by (quarkus.redis.master-name). */
    public static final String MASTER_NAME = "suite";
    static final int COUNT = 3;
    static final int QUORUM = 2;
    static final Duration DOWN_AFTER = Duration.ofSeconds(1);

    /**
     * What a service's user may do on a Sentinel: what the Vert.x Sentinel client sends to learn the topology and
     * nothing that changes it (no SENTINEL SET, FAILOVER, RESET, REMOVE, CONFIG; no pub/sub).
     */
    static final String SERVICE_RULES = "resetchannels -@all +ping +sentinel|get-master-addr-by-name +sentinel|sentinels +sentinel|slaves";

    private final LocalRedis firstPrimary;
    private final LocalRedis replica;
    private final List<LocalRedis> sentinels;
    private final Function<String, String> passwordOf;

    RedisSentinels(LocalRedis firstPrimary, LocalRedis replica, List<LocalRedis> sentinels, Function<String, String> passwordOf) {
        this.firstPrimary = firstPrimary;
        this.replica = replica;
        this.sentinels = List.copyOf(sentinels);
        this.passwordOf = passwordOf;
    }

    /** The Sentinels' {@code user} lines: the operator with every right (as on the data servers), each service with {@link #SERVICE_RULES}. */
    static List<String> users(List<String> names, Function<String, String> passwordOf) {
        return names.stream()
                .map(user -> "user " + user + " on " + (user.equals("default") ? "~* &* +@all" : SERVICE_RULES) + " >" + passwordOf.apply(user))
                .toList();
    }

    /** The primary the Sentinels started with: the stack's own Redis. */
    public LocalRedis firstPrimary() {
        return firstPrimary;
    }

    /** The replica they promote when that primary is gone. */
    public LocalRedis replica() {
        return replica;
    }

    /**
     * The settings of a suite service (as environment variables) that make its Redis client ask these Sentinels for
     * the primary, as {@code user}: the rest (TLS trust, password) stays the service's usual configuration.
     */
    public Map<String, String> clientSettings(String user) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("QUARKUS_REDIS_CLIENT_TYPE", "sentinel");
        settings.put("QUARKUS_REDIS_HOSTS", sentinels.stream().map(s -> s.url() + "?user=" + user).collect(Collectors.joining(",")));
        settings.put("QUARKUS_REDIS_MASTER_NAME", MASTER_NAME);
        settings.put("QUARKUS_REDIS_ROLE", "master");
        return settings;
    }

    /** The primary's port as the Sentinels see it now (asked as the operator over TLS); -1 when none answers. */
    public int primaryPort() {
        for (LocalRedis sentinel : sentinels) {
            try (RespClient operator = RespClient.as(sentinel, "default", passwordOf.apply("default"))) {
                String reply = operator.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME); // "[ip, port]"
                if (reply.startsWith("[") && reply.contains(", ")) {
                    return Integer.parseInt(reply.substring(reply.indexOf(", ") + 2, reply.length() - 1));
                }
            } catch (RuntimeException e) {
                // Try the next one.
            }
        }
        return -1;
    }

    /** The Sentinels, for tests that talk to them. */
    public List<LocalRedis> sentinels() {
        return sentinels;
    }
}
