package dev.suite.localstack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.bouncycastle.jce.ECNamedCurveTable;
import org.flywaydb.core.Flyway;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for Vault in every service's vault-profile tests (no Vault server on this machine): WireMock answering
 * the documented shapes of the calls quarkus-vault makes: Kubernetes login, KV v2 reads, database credentials, lease
 * lookup and renewal, token renewal. Every role of deploy/vault/policies may log in, and, like Vault, its token reads
 * only what &lt;role&gt;.hcl grants (anything else: 403), so a service needing a path its policy lacks fails here.
 * The KV secrets are those deploy/vault/setup.sh seeds. Values the local stack already has are its own (database
 * roles and passwords, Redis password, signing seed key, the user service's client secret that the auth service
 * checks), so the services really connect and call each other; the rest is generated per run.
 *
 * <p>Tests reach the stub through system properties (the port, the signing key's kid, the requests it got): Quarkus
 * may load this class and the test in different class loaders. Init args: {@code lease-seconds} of database leases;
 * {@code kv-omit}: KV keys to leave out of the services' secrets; {@code migrate-first}: the database (auth, users) to
 * migrate as its owner before the service starts, as the migration Job does (needs Flyway and the migrations on the
 * class path, as the services have); {@code unreachable}: point the service at a port where nothing listens.
 */
public class VaultStub implements QuarkusTestResourceLifecycleManager {

    public static final String PORT = "vault-stub.port";
    public static final String SIGNING_KID = "vault-stub.signing-kid";
    /** What the stub was asked, one "METHOD URL -> status" per line, set when it stops (after a launch). */
    public static final String REQUESTS = "vault-stub.requests";
    /** What the kubelet would project; Vault would validate it with the TokenReview API. */
    static final String PROJECTED_JWT = "projected.service-account-token." + UUID.randomUUID();
    private static final Pattern POLICY_PATH = Pattern.compile("path\\s+\"([^\"]+)\"\\s*\\{\\s*capabilities\\s*=\\s*\\[[^]]*\"read\"");

    private WireMockServer server;
    private Path tokenFile;
    private int leaseSeconds = 3600;
    private List<String> kvOmit = List.of();
    private String migrateFirst;
    private boolean unreachable;

    @Override
    public void init(Map<String, String> args) {
        leaseSeconds = Integer.parseInt(args.getOrDefault("lease-seconds", "3600"));
        kvOmit = Arrays.asList(args.getOrDefault("kv-omit", "").split(","));
        migrateFirst = args.get("migrate-first");
        unreachable = Boolean.parseBoolean(args.get("unreachable"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> suite = LocalStack.shared().properties();
        if (migrateFirst != null) {
            migrate(migrateFirst, suite);
        }
        Map<String, String> config = new HashMap<>();
        // Addresses only: every secret comes from the stub.
        for (String key : List.of("suite.pg.host", "suite.pg.port", "suite.pg.ca-file", "suite.redis.port")) {
            config.put(key, suite.get(key));
        }
        config.put("suite.redis.host", "127.0.0.1");
        try {
            tokenFile = Files.createTempFile("projected-token", "");
            Files.writeString(tokenFile, PROJECTED_JWT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("quarkus.vault.authentication.kubernetes.jwt-token-path", tokenFile.toString());
        if (unreachable) {
            // Nothing listens there: connections are refused, as when Vault is down or a NetworkPolicy blocks it.
            config.put("quarkus.vault.url", "http://127.0.0.1:" + LocalStack.freePort());
            return config;
        }

        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        WireMock vault = new WireMock(server);

        // Anything a policy does not grant, or without a valid token: Vault's 403.
        vault.register(any(urlPathMatching("/v1/.*")).atPriority(10)
                .willReturn(json(403, Map.of("errors", List.of("1 error occurred:\n\t* permission denied\n\n")))));
        for (String role : roles()) {
            String token = "hvs.stub-" + role + "-" + UUID.randomUUID();
            vault.register(post(urlEqualTo("/v1/auth/kubernetes/login")).atPriority(1)
                    .withRequestBody(equalToJson(Json.write(Map.of("role", role, "jwt", PROJECTED_JWT))))
                    .willReturn(json(200, auth(token, role))));
            // Vault's default policy: every token may renew itself and look up and renew its leases.
            vault.register(post(urlEqualTo("/v1/auth/token/renew-self")).atPriority(1).withHeader("X-Vault-Token", equalTo(token))
                    .willReturn(json(200, auth(token, role))));
            vault.register(post(urlEqualTo("/v1/sys/leases/lookup")).atPriority(1).withHeader("X-Vault-Token", equalTo(token))
                    .willReturn(json(200, Map.of("data", Map.of("renewable", true, "ttl", leaseSeconds)))));
            vault.register(post(urlEqualTo("/v1/sys/leases/renew")).atPriority(1).withHeader("X-Vault-Token", equalTo(token))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody("{\"lease_id\":\"{{jsonPath request.body '$.lease_id'}}\",\"renewable\":true,\"lease_duration\":"
                                    + leaseSeconds + ",\"data\":null}").withTransformers("response-template")));
            for (String path : policyPaths(role)) {
                vault.register(get(urlEqualTo("/v1/" + path)).atPriority(1).withHeader("X-Vault-Token", equalTo(token))
                        .willReturn(answer(path, suite)));
            }
        }

        System.setProperty(PORT, String.valueOf(server.port()));
        config.put("quarkus.vault.url", "http://127.0.0.1:" + server.port());
        return config;
    }

    /** The response to a read of PATH, as Vault shapes it; paths granted but not stored answer 404 like Vault. */
    private ResponseDefinitionBuilder answer(String path, Map<String, String> suite) {
        switch (path) {
            case "secret/data/suite/auth-service":
                return kv(Map.of("jwt-signing-key", signingKeyPem(suite), "pepper", random(), "redis-password", suite.get("suite.redis.password"),
                        "client-secret", random(), "user-service-client-secret", suite.get("suite.client.user-service.secret")));
            case "secret/data/suite/user-service":
                return kv(Map.of("redis-password", suite.get("suite.redis.password"),
                        "client-secret", suite.get("suite.client.user-service.secret")));
            case "secret/data/suite/gateway":
                return kv(Map.of("redis-password", suite.get("suite.redis.password"), "client-secret", random(), "csrf-key", random()));
            case "secret/data/suite/migrations/auth":
                return kv(Map.of("db-username", "auth_owner", "db-password", suite.get("suite.pg.auth-owner.password")));
            case "secret/data/suite/migrations/users":
                return kv(Map.of("db-username", "users_owner", "db-password", suite.get("suite.pg.users-owner.password")));
            case "database/creds/auth-app":
                return credentials(path, "auth_app", suite.get("suite.pg.auth-app.password"));
            case "database/creds/users-app":
                return credentials(path, "users_app", suite.get("suite.pg.users-app.password"));
            default:
                return json(404, Map.of("errors", List.of()));
        }
    }

    /** A real Vault creates a new member of the app role per lease; here the role itself stands in for it. */
    private ResponseDefinitionBuilder credentials(String path, String user, String password) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody(Json.write(Map.of("lease_id", path + "/{{randomValue type='UUID'}}", "renewable", true,
                        "lease_duration", leaseSeconds, "data", Map.of("username", user, "password", password))));
    }

    /**
     * The seed key of the auth service's signing key ring. It is the local stack's, because the ring in the shared
     * test database is encrypted under the seed: like in production, the seed in Vault must be the one the ring was
     * made with. Publishes its kid (RFC 7638 thumbprint) for the tests.
     */
    private static String signingKeyPem(Map<String, String> suite) {
        try {
            String pem = Files.readString(Path.of(suite.get("suite.jwt.signing-key-file")));
            String base64 = pem.replaceAll("-----[A-Z ]+-----|\\s", "");
            ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            org.bouncycastle.math.ec.ECPoint q = ECNamedCurveTable.getParameterSpec("secp256r1").getG().multiply(key.getS()).normalize();
            String thumbprintInput = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + coordinate(q.getAffineXCoord().toBigInteger())
                    + "\",\"y\":\"" + coordinate(q.getAffineYCoord().toBigInteger()) + "\"}";
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(thumbprintInput.getBytes(StandardCharsets.UTF_8));
            System.setProperty(SIGNING_KID, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32]; // P-256: 32 bytes, big-endian, left-padded
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    /** What the migration Job does before the service starts in Kubernetes: Flyway as DATABASE_owner. */
    private static void migrate(String database, Map<String, String> suite) {
        String url = "jdbc:postgresql://" + suite.get("suite.pg.host") + ":" + suite.get("suite.pg.port") + "/" + database
                + "?sslmode=verify-full&sslrootcert=" + suite.get("suite.pg.ca-file");
        Flyway.configure().dataSource(url, database + "_owner", suite.get("suite.pg." + database + "-owner.password"))
                .schemas(database).createSchemas(false).locations("classpath:db/migration").load().migrate();
    }

    /** The roles setup.sh creates: one per policy file, of the same name. */
    private static List<String> roles() {
        try (Stream<Path> files = Files.list(SuiteRoot.find().resolve("deploy/vault/policies"))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".hcl"))
                    .map(name -> name.substring(0, name.length() - ".hcl".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The read paths deploy/vault/policies/ROLE.hcl grants (the same file setup.sh writes to Vault). */
    private static List<String> policyPaths(String role) {
        try {
            String policy = Files.readString(SuiteRoot.find().resolve("deploy/vault/policies/" + role + ".hcl"));
            return POLICY_PATH.matcher(policy.replaceAll("(?m)#.*$", "")).results().map(m -> m.group(1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> auth(String token, String role) {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("client_token", token);
        auth.put("accessor", UUID.randomUUID().toString());
        auth.put("policies", List.of("default", role));
        auth.put("token_policies", List.of("default", role));
        auth.put("metadata", Map.of("role", role, "service_account_name", role, "service_account_namespace", "suite"));
        auth.put("lease_duration", 3600);
        auth.put("renewable", true);
        auth.put("token_type", "service");
        auth.put("orphan", true);
        return Map.of("auth", auth);
    }

    private ResponseDefinitionBuilder kv(Map<String, String> secret) {
        Map<String, String> data = new LinkedHashMap<>(secret);
        kvOmit.forEach(data::remove);
        return json(200, Map.of("lease_id", "", "renewable", false, "lease_duration", 0, "data", Map.of("data", data,
                "metadata", Map.of("created_time", "2025-01-01T00:00:00Z", "deletion_time", "", "destroyed", false, "version", 1))));
    }

    private static ResponseDefinitionBuilder json(int status, Map<String, ?> body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(Json.write(body));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public void stop() {
        if (server != null && server.isRunning()) {
            List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
            Collections.reverse(events); // WireMock lists the newest first
            System.setProperty(REQUESTS, events.stream().map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl() + " -> " + e.getResponse().getStatus())
                    .collect(Collectors.joining("\n")));
            server.stop();
        }
        System.clearProperty(PORT);
        try {
            if (tokenFile != null) {
                Files.deleteIfExists(tokenFile);
            }
        } catch (IOException e) {
            // A temp file: best effort.
        }
    }
}
