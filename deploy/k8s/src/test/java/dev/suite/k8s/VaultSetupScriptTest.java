package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs deploy/vault/setup.sh and k8s-secrets.sh for real, against stand-ins for the vault and kubectl
 * CLIs (src/test/fake-cli) that keep Vault's state in files: what the scripts write, that a second run
 * changes nothing, and that no secret value is ever an argument of a command. Vault's own behaviour is
 * not tested here (no Vault server on this machine).
 */
class VaultSetupScriptTest {

    static final Path FAKES = Repo.K8S.resolve("src/test/fake-cli");

    /** Vault's state after a first `setup.sh` on an empty Vault, shared by the tests (each works on a copy). */
    @TempDir
    static Path afterFirstRun;
    static Run first;

    @TempDir
    Path state;

    record Run(int exit, String output) {
    }

    @BeforeAll
    static void runSetupOnAnEmptyVault() throws Exception {
        for (String cli : List.of("vault", "kubectl")) {
            assertThat(FAKES.resolve(cli)).isExecutable();
        }
        first = run(afterFirstRun, Map.of("K8S_HOST", "https://kubernetes.default.svc"), "setup.sh");
        assertThat(first.exit()).as(first.output()).isZero();
    }

    @BeforeEach
    void startFromTheFirstRunsState() throws IOException {
        try (Stream<Path> files = Files.walk(afterFirstRun)) {
            for (Path from : files.toList()) {
                Path to = state.resolve(afterFirstRun.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void theFirstRunCreatesEverySecretPolicyAndRoleAndTheSecondChangesNothing() throws Exception {

        assertThat(keys("suite/auth-service")).containsExactlyInAnyOrder("jwt-signing-key", "pepper", "redis-password", "client-secret",
                "user-service-client-secret", "initial-admin-password");
        assertThat(keys("suite/user-service")).containsExactlyInAnyOrder("redis-password", "client-secret");
        assertThat(keys("suite/gateway")).containsExactlyInAnyOrder("redis-password", "client-secret", "csrf-key");
        assertThat(keys("suite/migrations/auth")).containsExactlyInAnyOrder("db-username", "db-password");
        assertThat(keys("suite/migrations/users")).containsExactlyInAnyOrder("db-username", "db-password");
        assertThat(kv("suite/migrations/auth", "db-username")).isEqualTo("auth_owner");
        assertThat(kv("suite/migrations/users", "db-username")).isEqualTo("users_owner");
        assertThat(isPkcs8EcP256(kv("suite/auth-service", "jwt-signing-key"))).as("jwt-signing-key is a PKCS#8 EC P-256 PEM").isTrue();
        for (String service : Rendered.SERVICES) {
            // Each service its own Redis ACL user and password; the operator's ("default") is no service's.
            assertThat(kv("suite/" + service, "redis-password")).as(service)
                    .isEqualTo(kv("suite/redis", service + "-password")).isNotEqualTo(kv("suite/redis", "password")).hasSize(64);
        }
        assertThat(kv("suite/auth-service", "redis-password")).isNotEqualTo(kv("suite/user-service", "redis-password"))
                .isNotEqualTo(kv("suite/gateway", "redis-password"));
        assertThat(kv("suite/user-service", "redis-password")).isNotEqualTo(kv("suite/gateway", "redis-password"));
        assertThat(kv("suite/auth-service", "client-secret")).isNotEqualTo(kv("suite/user-service", "client-secret"));
        assertThat(kv("suite/auth-service", "user-service-client-secret")).as("what the auth service checks")
                .isEqualTo(kv("suite/user-service", "client-secret"));

        assertThat(file("mounts/secrets/secret")).contains("kv").contains("-version=2");
        assertThat(file("mounts/auth/kubernetes")).contains("kubernetes");
        for (String policy : VaultPoliciesTest.EXPECTED.keySet()) {
            assertThat(file("policies/" + policy)).isEqualTo(Repo.read(Repo.VAULT.resolve("policies/" + policy + ".hcl")));
            Path role = state.resolve("paths/auth/kubernetes/role/" + policy);
            assertThat(file(role, "bound_service_account_names")).isEqualTo(policy);
            assertThat(file(role, "bound_service_account_namespaces")).isEqualTo("suite");
            assertThat(file(role, "token_policies")).isEqualTo(policy);
            assertThat(file(role, "audience")).as("the projected tokens' audience").isEqualTo("vault");
        }
        assertNoSecretInArgumentsOrOutput(first.output());

        Map<String, String> before = snapshot();
        Files.delete(state.resolve("calls.log"));
        Run second = run(Map.of(), "setup.sh");
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(snapshot()).as("nothing rewritten").isEqualTo(before);
        assertThat(file("calls.log")).doesNotContain(" enable ").doesNotContain("kv put").doesNotContain("kv patch")
                .doesNotContain("auth/kubernetes/config kubernetes_host");
    }

    @Test
    void theDatabasePhaseConfiguresTheConnectionOnceAndTheRolesEachTime() throws Exception {
        Run configured = run(Map.of("PG_CA_FILE", "/vault/userconfig/postgres-ca/ca.crt"), "setup.sh", "database");
        assertThat(configured.exit()).as(configured.output()).isZero();
        Path config = state.resolve("paths/database/config/suite-postgres");
        assertThat(file(config, "connection_url")).contains("sslmode=verify-full").contains("@postgres.suite.svc:5432/");
        assertThat(file(config, "username")).isEqualTo("vault_admin");
        assertThat(file(config, "password")).isEqualTo(kv("suite/postgres", "vault-admin-password"));
        assertThat(file(config, "allowed_roles")).isEqualTo("auth-app,users-app");
        assertThat(state.resolve("paths/database/rotate-root/suite-postgres")).isDirectory();
        assertThat(file(state.resolve("paths/database/roles/auth-app"), "creation_statements"))
                .isEqualTo(Repo.read(Repo.VAULT.resolve("database/auth-app.sql"))).contains("IN ROLE auth_app");
        assertThat(file(state.resolve("paths/database/roles/users-app"), "creation_statements"))
                .isEqualTo(Repo.read(Repo.VAULT.resolve("database/users-app.sql"))).contains("IN ROLE users_app");
        assertNoSecretInArgumentsOrOutput(configured.output());

        Files.delete(state.resolve("calls.log"));
        Run second = run(Map.of(), "setup.sh", "database");
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(file("calls.log")).doesNotContain("database/config/suite-postgres plugin_name").doesNotContain("rotate-root")
                .doesNotContain(" enable ");
    }

    @Test
    void staticCredentialsAreTheDocumentedFallback() throws Exception {
        Run run = run(Map.of("SUITE_DB_CREDENTIALS", "static"), "setup.sh");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(kv("suite/auth-service", "db-username")).isEqualTo("auth_app");
        assertThat(kv("suite/auth-service", "db-password")).isEqualTo(kv("suite/postgres", "auth-app-password"));
        assertThat(kv("suite/user-service", "db-username")).isEqualTo("users_app");
        assertThat(kv("suite/user-service", "db-password")).isEqualTo(kv("suite/postgres", "users-app-password"));
    }

    @Test
    void aVaultErrorIsNeverTakenForAMissingSecret() throws Exception {
        String pepper = kv("suite/auth-service", "pepper");
        // Every read now fails the way a permission problem does: the script must stop, not regenerate.
        Run run = run(Map.of("FAKE_FAIL_READS", "permission denied"), "setup.sh");
        assertThat(run.exit()).isNotZero();
        assertThat(run.output()).contains("permission denied");
        assertThat(kv("suite/auth-service", "pepper")).isEqualTo(pepper);
    }

    @Test
    void kubernetesSecretsHoldExactlyWhatThePodsMount() throws Exception {
        Run run = run(Map.of(), "k8s-secrets.sh");
        assertThat(run.exit()).as(run.output()).isZero();

        // The single PostgreSQL (dev) reads postgres-bootstrap; prod's CloudNativePG Cluster reads its own Secrets
        // (README, step 5). Every Redis pod, single or replicated, mounts redis-auth.
        Rendered dev = Rendered.overlay("dev");
        Rendered prod = Rendered.overlay("prod");
        assertThat(secretKeys("postgres-bootstrap")).containsExactlyInAnyOrderElementsOf(mountedKeys(dev, "StatefulSet", "postgres", "bootstrap"));
        assertThat(secretKeys("redis-auth")).containsExactlyInAnyOrderElementsOf(mountedKeys(dev, "Deployment", "redis", "password"));
        for (String workload : List.of("redis", "redis-sentinel")) {
            assertThat(secretKeys("redis-auth")).as(workload).containsExactlyInAnyOrderElementsOf(mountedKeys(prod, "StatefulSet", workload, "password"));
        }
        assertThat(file("k8s/postgres-bootstrap/auth-owner-password")).isEqualTo(kv("suite/migrations/auth", "db-password"));
        assertThat(file("k8s/postgres-bootstrap/users-owner-password")).isEqualTo(kv("suite/migrations/users", "db-password"));
        assertThat(file("k8s/postgres-bootstrap/vault-admin-password")).isEqualTo(kv("suite/postgres", "vault-admin-password"));
        assertThat(file("k8s/redis-auth/default")).isEqualTo(kv("suite/redis", "password"));
        for (String service : Rendered.SERVICES) {
            assertThat(file("k8s/redis-auth/" + service)).as(service).isEqualTo(kv("suite/" + service, "redis-password"));
        }

        // The prod overlay's CloudNativePG Cluster: every role Secret it names (managed roles, the bootstrap's owner)
        // holds that role's name and its Vault password, as a basic-auth Secret the operator reloads; vault_admin's
        // first password is the SQL its bootstrap runs.
        JsonNode cluster = prod.all("Cluster").findFirst().orElseThrow();
        JsonNode initdb = cluster.path("spec").path("bootstrap").path("initdb");
        Map<String, String> roleOf = new LinkedHashMap<>();
        Rendered.stream(cluster.path("spec").path("managed").path("roles"))
                .forEach(role -> roleOf.put(role.path("passwordSecret").path("name").asText(), role.path("name").asText()));
        assertThat(roleOf.putIfAbsent(initdb.path("secret").path("name").asText(), initdb.path("owner").asText()))
                .as("the owner's bootstrap Secret is its managed role's").isEqualTo(initdb.path("owner").asText());
        Map<String, String> vaultPassword = Map.of("auth_owner", kv("suite/migrations/auth", "db-password"),
                "users_owner", kv("suite/migrations/users", "db-password"), "auth_app", kv("suite/postgres", "auth-app-password"),
                "users_app", kv("suite/postgres", "users-app-password"));
        String calls = file("calls.log");
        for (Map.Entry<String, String> secret : roleOf.entrySet()) {
            assertThat(secretKeys(secret.getKey())).as(secret.getKey()).containsExactlyInAnyOrder("username", "password");
            assertThat(file("k8s/" + secret.getKey() + "/username")).as(secret.getKey()).isEqualTo(secret.getValue());
            assertThat(file("k8s/" + secret.getKey() + "/password")).as(secret.getKey()).isEqualTo(vaultPassword.get(secret.getValue()));
            assertThat(calls).contains("create secret generic " + secret.getKey() + " --type=kubernetes.io/basic-auth")
                    .contains("label secret " + secret.getKey() + " cnpg.io/reload=true");
        }
        JsonNode sql = initdb.path("postInitSQLRefs").path("secretRefs").get(0);
        assertThat(file("k8s/" + sql.path("name").asText() + "/" + sql.path("key").asText()))
                .isEqualTo("ALTER ROLE vault_admin PASSWORD '" + kv("suite/postgres", "vault-admin-password").strip() + "'");
        assertNoSecretInArgumentsOrOutput(run.output());
    }

    // --- helpers

    Run run(Map<String, String> env, String script, String... args) throws IOException, InterruptedException {
        return run(state, env, script, args);
    }

    static Run run(Path state, Map<String, String> env, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", Repo.VAULT.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", FAKES + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_STATE", state.toString());
        pb.environment().remove("VAULT_ADDR");
        pb.environment().remove("VAULT_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    /** Every generated value: none may appear in a logged command line or in the scripts' output. */
    void assertNoSecretInArgumentsOrOutput(String output) throws IOException {
        String calls = file("calls.log");
        try (Stream<Path> files = Files.walk(state.resolve("kv"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String value = Files.readString(f).strip();
                if (value.length() >= 16) {
                    assertThat(calls).as("argv carries " + f).doesNotContain(value);
                    assertThat(output).as("output shows " + f).doesNotContain(value);
                }
            }
        }
    }

    List<String> keys(String path) throws IOException {
        try (Stream<Path> files = Files.list(state.resolve("kv").resolve(path))) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList();
        }
    }

    List<String> secretKeys(String name) throws IOException {
        try (Stream<Path> files = Files.list(state.resolve("k8s").resolve(name))) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    static List<String> mountedKeys(Rendered r, String kind, String workload, String volume) {
        JsonNode secret = Rendered.stream(r.pod(kind, workload).spec().path("volumes"))
                .filter(v -> v.path("name").asText().equals(volume)).findFirst().orElseThrow().path("secret");
        return Rendered.stream(secret.path("items")).map(i -> i.path("key").asText()).toList();
    }

    String kv(String path, String key) throws IOException {
        return Files.readString(state.resolve("kv").resolve(path).resolve(key));
    }

    String file(String relative) throws IOException {
        return Files.readString(state.resolve(relative));
    }

    static String file(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }

    Map<String, String> snapshot() throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.endsWith("calls.log")).toList()) {
                all.put(state.relativize(f).toString(), Files.readString(f));
            }
        }
        return all;
    }

    /** Parses the PEM the way the auth service does (header lines dropped, base64 body as PKCS#8). */
    private static boolean isPkcs8EcP256(String pem) {
        try {
            StringBuilder body = new StringBuilder();
            for (String line : pem.split("\\R")) {
                if (!line.startsWith("-----")) {
                    body.append(line.strip());
                }
            }
            java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(body.toString())));
            return pem.startsWith("-----BEGIN ") && key.getParams().getCurve().getField().getFieldSize() == 256;
        } catch (java.security.GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }
}
