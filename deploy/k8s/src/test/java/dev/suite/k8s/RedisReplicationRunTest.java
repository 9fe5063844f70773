package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.suite.localstack.DevCertificates;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.core.ExecutableProvider;

/**
 * The prod overlay's replicated Redis, run for real on this machine: a primary and a replica and one Sentinel started
 * by the real redis-server (the local stack's binary) from exactly what the overlay's start scripts write (the base's
 * redis.conf and users, node.conf, the Sentinel's configuration), with only the pods' names and ports moved to this
 * machine. Replication runs over TLS as the operator, the Sentinel finds the replica under its announced name, a
 * revocation the replica holds is acknowledged by WAIT, and a service's user on the Sentinel may ask where the
 * primary is and nothing else. (Failover itself is RedisFailoverTest's and RedisSentinelsTest's, on the local stack.)
 */
class RedisReplicationRunTest {

    @TempDir
    Path tmp;

    private final List<Process> servers = new ArrayList<>();
    private File binary;

    @AfterEach
    void stop() throws Exception {
        for (Process server : servers) {
            server.destroy();
            server.waitFor();
        }
        if (binary != null) {
            Files.deleteIfExists(binary.toPath());
            Files.deleteIfExists(binary.toPath().getParent());
        }
    }

    @Test
    void aPrimaryAReplicaAndASentinelRunFromTheOverlaysFilesOverTlsWithTheServicesUsers() throws Exception {
        binary = ExecutableProvider.newJarResourceProvider().get();
        RedisHaScripts scripts = new RedisHaScripts(tmp.resolve("scripts"));
        DevCertificates.TlsFiles tls = DevCertificates.issueForAddresses(tmp.resolve("tls"), "test CA", List.of("127.0.0.1"));
        int primaryPort = freePort();
        int replicaPort = freePort();
        int sentinelPort = freePort();
        Map<String, Integer> ports = Map.of("redis-0", primaryPort, "redis-1", replicaPort);

        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(etc.resolve("redis.conf"), withTls(Rendered.overlay("prod").configMap("redis-config").path("data").path("redis.conf").asText(), tls)
                .replace("dir /data", "dir ./").replace("include /run/redis/auth.conf", "include auth.conf"));
        for (String pod : List.of("redis-0", "redis-1")) {
            assertThat(scripts.start("start-node.sh", pod, Map.of()).exit()).isZero();
            Path dir = Files.createDirectories(tmp.resolve(pod));
            Files.copy(scripts.run.resolve("auth.conf"), dir.resolve("auth.conf"));
            Files.writeString(dir.resolve("replication.conf"), onThisMachine(Files.readString(scripts.run.resolve("replication.conf")), primaryPort)
                    + "tls-port " + ports.get(pod) + "\n");
            Files.writeString(dir.resolve("node.conf"), Files.readString(scripts.ha.resolve("node.conf"))
                    .replace("/etc/redis/redis.conf", etc.resolve("redis.conf").toString()).replace(scripts.run + "/replication.conf", "replication.conf"));
            start(dir, "node.conf");
        }
        assertThat(scripts.start("start-sentinel.sh", "redis-sentinel-0", Map.of()).exit()).isZero();
        Path sentinelDir = Files.createDirectories(tmp.resolve("sentinel"));
        Files.writeString(sentinelDir.resolve("sentinel.conf"), withTls(onThisMachine(scripts.started(), primaryPort), tls)
                .replace("tls-port 26379", "tls-port " + sentinelPort).replace("announce-port 26379", "announce-port " + sentinelPort)
                .replace("dir /tmp", "dir " + sentinelDir));
        start(sentinelDir, "sentinel.conf", "--sentinel");

        // The auth service's user: a revocation on the primary, acknowledged once the replica (over TLS, as the operator) holds it.
        assertThat(await(primaryPort, "auth-service", r -> r.equals(":1"), "SADD", "revoked:s", "jti-1")).isEqualTo(":1");
        assertThat(call(primaryPort, "auth-service", "WAIT", "1", "5000")).as("the replica acknowledges").isEqualTo(":1");
        assertThat(call(replicaPort, "user-service", "SMISMEMBER", "revoked:s", "jti-1")).as("and holds it").isEqualTo("[:1]");
        assertThat(call(replicaPort, "auth-service", "SADD", "revoked:s", "jti-2")).startsWith("-READONLY");

        // The Sentinel: watching the primary by its name, finding the replica under its announced one.
        assertThat(await(sentinelPort, "gateway", r -> r.contains(String.valueOf(primaryPort)), "SENTINEL", "get-master-addr-by-name", "suite"))
                .isEqualTo("[localhost, " + primaryPort + "]");
        assertThat(await(sentinelPort, "default", r -> r.contains(String.valueOf(replicaPort)), "SENTINEL", "slaves", "suite")).contains("localhost");
        for (String[] attack : List.of(new String[] {"SENTINEL", "failover", "suite"}, new String[] {"SENTINEL", "set", "suite", "quorum", "1"},
                new String[] {"SENTINEL", "remove", "suite"}, new String[] {"SENTINEL", "reset", "*"}, new String[] {"ACL", "LIST"})) {
            assertThat(call(sentinelPort, "gateway", attack)).as("a service's user: " + String.join(" ", attack)).startsWith("-NOPERM");
        }
        assertThat(login(sentinelPort, "user-service", "not-its-password")).startsWith("-WRONGPASS");
    }

    /** The pods' stable names and ports, as start-node.sh and start-sentinel.sh wrote them, moved to this machine. */
    private static String onThisMachine(String config, int primaryPort) {
        return config.replaceAll("redis-\\d\\.redis-nodes\\.suite\\.svc 6379", "localhost " + primaryPort)
                .replaceAll("redis-(sentinel-)?\\d\\.redis-(nodes|sentinel)\\.suite\\.svc", "localhost");
    }

    private static String withTls(String config, DevCertificates.TlsFiles tls) {
        return config.replace("/etc/suite-tls/tls.crt", tls.serverCert().toString()).replace("/etc/suite-tls/tls.key", tls.serverKey().toString())
                .replace("/etc/suite-tls/ca.crt", tls.caCert().toString());
    }

    private void start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.getAbsolutePath()));
        command.addAll(List.of(args));
        servers.add(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Path ca() {
        return tmp.resolve("tls").resolve("ca.crt");
    }

    /** Repeats the command (logged in as user) until the answer satisfies {@code done}, for up to 20 s (servers starting). */
    private String await(int port, String user, Predicate<String> done, String... command) throws Exception {
        String answer = "";
        for (long deadline = System.nanoTime() + 20_000_000_000L; System.nanoTime() < deadline; Thread.sleep(200)) {
            try {
                answer = call(port, user, command);
                if (done.test(answer)) {
                    return answer;
                }
            } catch (IOException notYet) {
                answer = notYet.toString();
            }
        }
        return answer;
    }

    private String call(int port, String user, String... command) throws IOException {
        try (SSLSocket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            send(out, "AUTH", user, "pw-of-" + user);
            String auth = reply(in);
            if (!auth.equals("+OK")) {
                return auth;
            }
            send(out, command);
            return reply(in);
        }
    }

    private String login(int port, String user, String password) throws IOException {
        try (SSLSocket socket = connect(port)) {
            send(socket.getOutputStream(), "AUTH", user, password);
            return reply(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** TLS trusting the test CA alone and checking the name, as the services do. */
    private SSLSocket connect(int port) throws IOException {
        SSLSocket socket = (SSLSocket) DevCertificates.trustingOnly(ca()).getSocketFactory().createSocket("localhost", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static void send(OutputStream out, String... command) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffer.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String part : command) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            buffer.writeBytes(bytes);
            buffer.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(buffer.toByteArray());
        out.flush();
    }

    /** A RESP2 reply as text: "+OK", "-ERR ...", ":1", a bulk string itself, or "[a, b]" for an array. */
    private static String reply(InputStream in) throws IOException {
        String line = line(in);
        return switch (line.charAt(0)) {
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    yield "(nil)";
                }
                String bulk = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                line(in);
                yield bulk;
            }
            case '*' -> {
                int count = Integer.parseInt(line.substring(1));
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(reply(in));
                }
                yield items.toString();
            }
            default -> line;
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
