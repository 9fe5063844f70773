package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/** A real Redis from the embedded-redis artifact: loopback only, password required, append-only file in the run's folder. */
public final class LocalRedis {

    private final int port;
    private final Path config;
    private RedisServer server;

    private LocalRedis(int port, Path config) {
        this.port = port;
        this.config = config;
    }

    static LocalRedis create(Path workDir, int port, String password) {
        Path config = workDir.resolve("redis.conf");
        try {
            Files.writeString(config, String.join("\n",
                    "bind 127.0.0.1",
                    "protected-mode yes",
                    "port " + port,
                    "requirepass " + password,
                    // As in production (deploy/k8s/base/redis/redis.conf): revocations survive a restart of Redis,
                    // or a revoked token would work again. The file lives in this run's folder and goes with it.
                    "save \"\"",
                    "appendonly yes",
                    "dir " + workDir,
                    "pidfile " + workDir.resolve("redis.pid"),
                    ""));
            LocalSecrets.PrivateFiles.restrict(config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + config, e);
        }
        LocalRedis redis = new LocalRedis(port, config);
        redis.start();
        return redis;
    }

    /** Where clients connect, as quarkus.redis.hosts takes it (it binds to 127.0.0.1 only). */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        try {
            String executable = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
            server = new RedisServer(port, List.of(executable, config.toString()), true);
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
