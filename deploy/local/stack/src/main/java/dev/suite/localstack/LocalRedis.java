package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import redis.embedded.RedisInstance;
import redis.embedded.RedisSentinel;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis from the embedded-redis artifact: loopback only, the suite's ACL users ({@link RedisUsers}, each with
 * its password), the memory limit and eviction policy of Kubernetes' redis.conf, append-only file in the run's folder.
 * TLS only, as in Kubernetes: no plaintext port at all, the stack's server certificate (the suite CA's), so a client
 * that checks the CA and the host name knows it talks to the suite's Redis and nobody reads a password on the way.
 */
public final class LocalRedis {

    /** Replicas and Sentinels live in sub-folders of the stack's folder, named with this, their kind and their port. */
    static final String CHILD_FOLDER = "redis-";

    /** See {@link #executable()}. */
    private static String executable;

    private final int port;
    private final Path config;
    private final Host host;
    private final DevCertificates.TlsFiles tls;
    /** A Sentinel (redis-server --sentinel, {@link RedisSentinels}) rather than a data server. */
    private final boolean sentinel;
    private RedisInstance server;

    private LocalRedis(int port, Path config, Host host, DevCertificates.TlsFiles tls, boolean sentinel) {
        this.port = port;
        this.config = config;
        this.host = host;
        this.tls = tls;
        this.sentinel = sentinel;
    }

    /** The memory lines of Kubernetes' redis.conf ({@code maxmemory}, {@code maxmemory-policy}): one budget, one policy. */
    static final String K8S_CONF = "deploy/k8s/base/redis/redis.conf";

    static LocalRedis create(Path workDir, int port, List<String> userDirectives, List<String> memorySettings, Host host,
            DevCertificates.TlsFiles tls) {
        return create(workDir, port, userDirectives, memorySettings, List.of(), host, tls);
    }

    /**
     * A replica of {@code primary} in {@code workDir} (a folder of its own): the same users and memory settings, the
     * replication stream over TLS (the suite CA's certificate checked), logged in as the operator, read-only.
     */
    static LocalRedis replicaOf(LocalRedis primary, Path workDir, int port, List<String> userDirectives, List<String> memorySettings,
            String operatorPassword) {
        List<String> replication = List.of(
                "replicaof " + primary.host.bindAddress() + " " + primary.port,
                "tls-replication yes",
                "masteruser default",
                "masterauth " + operatorPassword,
                "replica-read-only yes");
        return create(workDir, port, userDirectives, memorySettings, replication, primary.host, primary.tls);
    }

    /**
     * A node of a Redis Cluster in {@code workDir} (a folder of its own): the same users and memory settings as the
     * stack's Redis, announcing {@code host}'s address, no slots yet ({@link RedisCluster} gives them out). The cluster
     * bus (its port + 10000) is TLS too, and mutual there: a node connecting to another presents {@code bus}'s client
     * certificate, and the nodes trust the suite CA (for the server side) and the bus's own CA, whose key is gone.
     */
    static LocalRedis clusterNode(Path workDir, int port, List<String> userDirectives, List<String> memorySettings, Host host,
            DevCertificates.TlsFiles tls, RedisCluster.Bus bus) {
        List<String> cluster = List.of(
                "cluster-enabled yes",
                "cluster-config-file " + workDir.resolve("nodes.conf"),
                "cluster-node-timeout 2000",
                "cluster-announce-ip " + host.bindAddress(),
                "tls-cluster yes",
                "tls-replication yes",
                "tls-client-cert-file " + bus.clientCert(),
                "tls-client-key-file " + bus.clientKey(),
                // Replaces the tls-ca-cert-file line above it (the last one counts): the suite CA and the bus's.
                "tls-ca-cert-file " + bus.trusted());
        return create(workDir, port, userDirectives, memorySettings, cluster, host, tls);
    }

    private static LocalRedis create(Path workDir, int port, List<String> userDirectives, List<String> memorySettings,
            List<String> replication, Host host, DevCertificates.TlsFiles tls) {
        Path config = workDir.resolve("redis.conf");
        try {
            List<String> lines = new ArrayList<>(List.of(
                    "bind " + host.bindAddress(),
                    "protected-mode yes"));
            lines.addAll(tlsOnly(port, tls));
            lines.addAll(userDirectives);
            lines.addAll(memorySettings);
            lines.addAll(replication);
            lines.addAll(List.of(
                    // As in production (deploy/k8s/base/redis/redis.conf): revocations survive a restart of Redis,
                    // or a revoked token would work again. The file lives in this run's folder and goes with it.
                    "save \"\"",
                    "appendonly yes",
                    "dir " + workDir,
                    "pidfile " + workDir.resolve("redis.pid"),
                    ""));
            Files.writeString(config, String.join("\n", lines));
            LocalSecrets.PrivateFiles.restrict(config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + config, e);
        }
        LocalRedis redis = new LocalRedis(port, config, host, tls, false);
        redis.start();
        return redis;
    }

    /**
     * The listener lines of Kubernetes' redis.conf: {@code port 0} (no plaintext listener), {@code tls-port} with the
     * server's certificate. Clients authenticate with their ACL user's password, not a client certificate.
     */
    private static List<String> tlsOnly(int port, DevCertificates.TlsFiles tls) {
        return List.of(
                "port 0",
                "tls-port " + port,
                "tls-cert-file " + tls.serverCert(),
                "tls-key-file " + tls.serverKey(),
                "tls-ca-cert-file " + tls.caCert(),
                "tls-auth-clients no");
    }

    /**
     * What an attacker on the network would run in the suite's Redis's place: a real Redis at {@code port} of
     * {@code host}, over TLS with {@code tls} (a certificate from a CA of the attacker's), that lets every ACL user of
     * the suite in with any password and holds nothing, so to a client that does not check whom it talks to no token
     * is revoked and no throttle counts.
     */
    public static LocalRedis impostor(Path workDir, int port, Host host, DevCertificates.TlsFiles tls) {
        List<String> anyPassword = RedisUsers.in(SuiteRoot.find()).names().stream()
                .map(user -> "user " + user + " on nopass ~* &* +@all")
                .toList();
        return create(workDir, port, anyPassword, List.of(), host, tls);
    }
    /** {@code maxmemory} and {@code maxmemory-policy} as Kubernetes sets them, {@code maxmemory} replaced when given. */
    static List<String> memorySettings(Path suiteRoot, String maxmemory) {
        Path file = suiteRoot.resolve(K8S_CONF);
        try {
            List<String> lines = Files.readAllLines(file).stream().map(String::strip)
                    .filter(line -> line.startsWith("maxmemory ") || line.startsWith("maxmemory-policy "))
                    .map(line -> maxmemory != null && line.startsWith("maxmemory ") ? "maxmemory " + maxmemory : line)
                    .toList();
            if (lines.size() != 2) {
                throw new IllegalStateException(file + " must set maxmemory and maxmemory-policy once each");
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /**
     * A Sentinel in {@code workDir} (a folder of its own) watching {@code primary} under {@code masterName}: TLS only
     * like the data servers, to them too ({@code tls-replication}), logged in to them and to the other Sentinels as
     * the operator; {@code users} are the {@code user} lines of those who may ask it where the primary is.
     */
    static LocalRedis sentinel(LocalRedis primary, Path workDir, int port, String masterName, int quorum, Duration downAfter,
            String operatorPassword, List<String> users) {
        Path config = workDir.resolve("sentinel.conf");
        List<String> lines = new ArrayList<>(List.of("bind " + primary.host.bindAddress()));
        lines.addAll(tlsOnly(port, primary.tls));
        lines.addAll(users);
        lines.addAll(List.of(
                "tls-replication yes",
                "dir " + workDir,
                "pidfile " + workDir.resolve("redis.pid"),
                "sentinel sentinel-user default",
                "sentinel sentinel-pass " + operatorPassword,
                "sentinel monitor " + masterName + " " + primary.host.bindAddress() + " " + primary.port + " " + quorum,
                "sentinel auth-user " + masterName + " default",
                "sentinel auth-pass " + masterName + " " + operatorPassword,
                "sentinel down-after-milliseconds " + masterName + " " + downAfter.toMillis(),
                "sentinel failover-timeout " + masterName + " " + downAfter.multipliedBy(10).toMillis(),
                "sentinel parallel-syncs " + masterName + " 1",
                ""));
        try {
            Files.writeString(config, String.join("\n", lines));
            LocalSecrets.PrivateFiles.restrict(config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + config, e);
        }
        LocalRedis redis = new LocalRedis(port, config, primary.host, primary.tls, true);
        redis.start();
        return redis;
    }

    /** Where clients connect, as quarkus.redis.hosts takes it (it binds to this address only; TLS: rediss). */
    public String url() {
        return "rediss://" + host.bindAddress() + ":" + port;
    }

    /**
     * A TLS connection to this Redis that trusts the suite CA alone and checks the host name, for tests that speak RESP
     * themselves; nothing logged in yet.
     */
    public SSLSocket connect() throws IOException {
        SSLSocket socket = (SSLSocket) DevCertificates.trustingOnly(tls.caCert()).getSocketFactory()
                .createSocket(host.bindAddress(), port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    public Host host() {
        return host;
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        try {
            server = sentinel
                    ? new RedisSentinel(port, host.run(List.of(executable(), config.toString(), "--sentinel")), true)
                    : new RedisServer(port, host.run(List.of(executable(), config.toString())), true);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Redis on port " + port, e);
        }
    }

    /**
     * The artifact's redis-server, unpacked once per JVM: the provider unpacks a copy into a new temporary folder on
     * every call and never removes it (9 MB a start; a test run starts Redis dozens of times).
     */
    private static synchronized String executable() throws IOException {
        if (executable == null) {
            executable = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
        }
        return executable;
    }

    /** Ends the server at once (SIGKILL): no shutdown, no last write to its files, as when its host dies. */
    public synchronized void kill() {
        signal("KILL");
    }

    public synchronized void stop() {
        if (server != null && server.isActive()) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot stop Redis on port " + port, e);
            }
        }
    }

    /**
     * Stops the running server without closing anything (SIGSTOP): its port keeps accepting and its connections stay
     * open, but nothing is answered, as with a host that hangs or a route that silently drops packets.
     */
    public void freeze() {
        signal("STOP");
    }

    /** Lets a {@link #freeze frozen} server go on (SIGCONT). */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            long pid = Long.parseLong(Files.readString(config.resolveSibling("redis.pid")).strip());
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot signal Redis on port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills a Redis (and its replicas, in their sub-folders) left behind by a process that died without cleaning up. */
    static void stopAbandoned(Path workDir) {
        try (var replicas = Files.list(workDir)) {
            replicas.filter(dir -> dir.getFileName().toString().startsWith(CHILD_FOLDER)).forEach(LocalRedis::stopAbandoned);
        } catch (IOException e) {
            // No replicas.
        }
        try {
            Path pidFile = workDir.resolve("redis.pid");
            if (Files.exists(pidFile)) {
                Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
                process.filter(p -> p.info().command().orElse("").contains("redis")).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            // Nothing to stop.
        }
    }
}
