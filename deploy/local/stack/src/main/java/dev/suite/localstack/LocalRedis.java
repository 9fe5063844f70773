package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis from the embedded-redis artifact: loopback only, the suite's ACL users ({@link RedisUsers}, each with
 * its password), the memory limit and eviction policy of Kubernetes' redis.conf, append-only file in the run's folder.
 */
public final class LocalRedis {

    private final int port;
    private final Path config;
    private final Host host;
    private RedisServer server;

    private LocalRedis(int port, Path config, Host host) {
        this.port = port;
        this.config = config;
        this.host = host;
    }

    /** The memory lines of Kubernetes' redis.conf ({@code maxmemory}, {@code maxmemory-policy}): one budget, one policy. */
    static final String K8S_CONF = "deploy/k8s/base/redis/redis.conf";

    static LocalRedis create(Path workDir, int port, List<String> userDirectives, List<String> memorySettings, Host host) {
        Path config = workDir.resolve("redis.conf");
        try {
            List<String> lines = new ArrayList<>(List.of(
                    "bind " + host.bindAddress(),
                    "protected-mode yes",
                    "port " + port));
            lines.addAll(userDirectives);
            lines.addAll(memorySettings);
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
        LocalRedis redis = new LocalRedis(port, config, host);
        redis.start();
        return redis;
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

    /** Where clients connect, as quarkus.redis.hosts takes it (it binds to this address only). */
    public String url() {
        return "redis://" + host.bindAddress() + ":" + port;
    }

    public Host host() {
        return host;
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        try {
            String executable = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
            server = new RedisServer(port, host.run(List.of(executable, config.toString())), true);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Redis on port " + port, e);
        }
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

    /** Kills a Redis left behind by a process that died without cleaning up. */
    static void stopAbandoned(Path workDir) {
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
