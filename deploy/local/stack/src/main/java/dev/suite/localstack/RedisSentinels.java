package dev.suite.localstack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Redis as it runs once it outgrows one instance (issue 25), on this machine: the stack's Redis as the first
 * primary, two replicas, and {@value #COUNT} Sentinels that promote one of them when the primary is gone for
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
    private final List<LocalRedis> replicas;
    private final List<LocalRedis> sentinels;
    private final Function<String, String> passwordOf;

    RedisSentinels(LocalRedis firstPrimary, List<LocalRedis> replicas, List<LocalRedis> sentinels, Function<String, String> passwordOf) {
        this.firstPrimary = firstPrimary;
        this.replicas = List.copyOf(replicas);
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

    /** The replicas, one of which they promote when that primary is gone. */
    public List<LocalRedis> replicas() {
        return replicas;
    }

    /** The server the Sentinels name as the primary now; null when none answers or it is none of this group's. */
    public LocalRedis primary() {
        int port = primaryPort();
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(firstPrimary), replicas.stream())
                .filter(server -> server.port() == port).findFirst().orElse(null);
    }

    /**
     * The settings of a suite service (as environment variables) that make its Redis client ask these Sentinels for
     * the primary, as {@code user}: the TLS trust stays the service's usual configuration. The password goes into each
     * address: the Vert.x Sentinel client (4.5.27) rebuilds every address it connects to as {@code user:@host}, an
     * empty password that wins over quarkus.redis.password (WRONGPASS on every Sentinel, seen here), unless the
     * address carries one. Passwords here are base64url (Vault's are hex): nothing in them to escape.
     */
    public Map<String, String> clientSettings(String user) {
        String login = user + ":" + passwordOf.apply(user) + "@";
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("QUARKUS_REDIS_CLIENT_TYPE", "sentinel");
        settings.put("QUARKUS_REDIS_HOSTS", sentinels.stream().map(s -> s.url().replace("://", "://" + login)).collect(Collectors.joining(",")));
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

    /**
     * Waits until every Sentinel knows the other two and both replicas (they learn of each other through the
     * primary, every few seconds): before that, a failover may find no majority to elect a leader, and waits out a
     * whole failover timeout before it tries again (a 20 s failover instead of 4 s, seen here).
     */
    void awaitAcquainted() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (LocalRedis sentinel : sentinels) {
            while (!acquainted(sentinel)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Sentinel on port " + sentinel.port() + " never learnt of the whole group");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private boolean acquainted(LocalRedis sentinel) {
        try (RespClient operator = RespClient.as(sentinel, "default", passwordOf.apply("default"))) {
            String master = operator.call("SENTINEL", "MASTER", MASTER_NAME); // "[name, suite, ip, ..., num-slaves, 2, ...]"
            return master.contains("num-slaves, " + replicas.size() + ",")
                    && master.contains("num-other-sentinels, " + (sentinels.size() - 1) + ",");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The Sentinels, for tests that talk to them. */
    public List<LocalRedis> sentinels() {
        return sentinels;
    }
}
