package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * A Redis Cluster on this machine (issue 25: what a managed Redis Cluster gives the suite): {@value #NODES} primaries,
 * each holding a third of the 16384 slots, TLS only on the client port and the cluster bus, the suite's ACL users.
 * No replicas: what is tested here is that every script and batch of the suite keeps to one slot, not a failover
 * (RedisSentinels covers that).
 */
public final class RedisCluster {

    static final int NODES = 3;
    static final int SLOTS = 16384;

    /** The cluster bus's TLS files: the client certificate every node presents on it, and what the nodes trust. */
    record Bus(Path clientCert, Path clientKey, Path trusted) {

        /** Issues them into {@code dir}: a CA of the bus's own (its key never written) and one client certificate. */
        static Bus issue(Path dir, Path suiteCa) {
            try {
                Files.createDirectories(dir);
                DevCertificates.Issued ca = DevCertificates.newCa("Secure Suite local Redis Cluster bus CA");
                DevCertificates.Issued node = DevCertificates.newClientCertificate(ca, "redis-cluster-node");
                Bus bus = new Bus(dir.resolve("bus-client.crt"), dir.resolve("bus-client.key"), dir.resolve("trusted.crt"));
                DevCertificates.writePem(bus.clientCert(), node.certificate());
                DevCertificates.writePem(bus.clientKey(), new JcaPKCS8Generator(node.keyPair().getPrivate(), null).generate());
                LocalSecrets.PrivateFiles.restrict(bus.clientKey());
                Path busCa = dir.resolve("bus-ca.crt");
                DevCertificates.writePem(busCa, ca.certificate());
                Files.writeString(bus.trusted(), Files.readString(suiteCa) + Files.readString(busCa));
                return bus;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the Redis Cluster bus certificates into " + dir, e);
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("Cannot create the Redis Cluster bus certificates", e);
            }
        }
    }

    /**
     * The one right a service's user needs on a cluster beyond its rules in users.acl: the Vert.x cluster client asks
     * any node which node serves which slots ({@code CLUSTER SLOTS}) before it sends anything, and again after a MOVED.
     */
    static final String CLIENT_RULES = "+cluster|slots";

    private final List<LocalRedis> nodes;
    private final Function<String, String> passwordOf;

    RedisCluster(List<LocalRedis> nodes, Function<String, String> passwordOf) {
        this.nodes = List.copyOf(nodes);
        this.passwordOf = passwordOf;
    }

    /** The {@code user} directives of users.acl, each service's with {@link #CLIENT_RULES} appended (the operator has every right). */
    static List<String> users(List<String> directives) {
        return directives.stream()
                .map(line -> line.startsWith("user default ") ? line : line.replaceFirst(" >", " " + CLIENT_RULES + " >"))
                .toList();
    }

    /**
     * A port whose cluster bus port (Redis 6.2: the port + 10000) is free too and below 65536: the ephemeral ports
     * {@link LocalStack#freePort()} hands out often have no room above them.
     */
    static int freeNodePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair (p, p + 10000) for a Redis Cluster node");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Gives each node its third of the slots, introduces them to each other, and waits until every node says ok. */
    void form() {
        for (int i = 0; i < nodes.size(); i++) {
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = firstSlot(i); slot < firstSlot(i + 1); slot++) {
                command.add(Integer.toString(slot));
            }
            expectOk(operatorCall(nodes.get(i), command.toArray(String[]::new)), "CLUSTER ADDSLOTS");
        }
        LocalRedis first = nodes.get(0);
        for (LocalRedis other : nodes.subList(1, nodes.size())) {
            expectOk(operatorCall(first, "CLUSTER", "MEET", other.host().bindAddress(), Integer.toString(other.port())), "CLUSTER MEET");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (LocalRedis node : nodes) {
            while (!formed(node)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Redis Cluster node on port " + node.port() + " never saw the whole cluster: "
                            + operatorCall(node, "CLUSTER", "INFO"));
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

    private boolean formed(LocalRedis node) {
        String info = operatorCall(node, "CLUSTER", "INFO");
        return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes.size())
                && info.contains("cluster_slots_ok:" + SLOTS);
    }

    private static void expectOk(String reply, String what) {
        if (!reply.equals("+OK")) {
            throw new IllegalStateException(what + ": " + reply);
        }
    }

    /** One command as the operator on one node (no redirection followed: the caller picks the node). */
    public String operatorCall(LocalRedis node, String... command) {
        try (RespClient operator = RespClient.as(node, "default", passwordOf.apply("default"))) {
            return operator.call(command);
        }
    }

    /**
     * The settings of a suite service (as environment variables) that make its Redis client a cluster client, logged
     * in as {@code user} (the password in each address, as for the Sentinels: the Vert.x client rebuilds the node
     * addresses it learns from the first one's user info), with the revocations under their cluster-safe names only.
     */
    public Map<String, String> clientSettings(String user) {
        String login = user + ":" + passwordOf.apply(user) + "@";
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("QUARKUS_REDIS_CLIENT_TYPE", "cluster");
        settings.put("QUARKUS_REDIS_HOSTS", nodes.stream().map(n -> n.url().replace("://", "://" + login)).collect(Collectors.joining(",")));
        settings.put("TOKEN_GUARD_REVOCATION_LEGACY_KEYS", "false");
        return settings;
    }

    /** The nodes, for tests that look at where keys went. */
    public List<LocalRedis> nodes() {
        return nodes;
    }

    /** The node that serves the slot of {@code key} (the slots never move here). */
    public LocalRedis nodeOf(String key) {
        int slot = Integer.parseInt(operatorCall(nodes.get(0), "CLUSTER", "KEYSLOT", key).substring(1));
        return nodes.get(indexOf(slot));
    }

    private int indexOf(int slot) {
        for (int i = 0; i < nodes.size(); i++) {
            if (slot >= firstSlot(i) && slot < firstSlot(i + 1)) {
                return i;
            }
        }
        throw new IllegalStateException("slot " + slot + " out of range");
    }

    /** The first slot of node {@code i} (it holds those up to the next node's first): the slots are split evenly. */
    private int firstSlot(int i) {
        return i * SLOTS / nodes.size();
    }
}
