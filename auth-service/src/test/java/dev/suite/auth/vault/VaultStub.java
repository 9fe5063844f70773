package dev.suite.auth.vault;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
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

import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.flywaydb.core.Flyway;
import org.jose4j.jwk.PublicJsonWebKey;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.suite.localstack.LocalStack;
import dev.suite.localstack.SuiteRoot;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonObject;

/**
 * Stands in for Vault (no Vault server on this machine): WireMock answering the documented shapes of the calls
 * quarkus-vault makes: Kubernetes login, KV v2 reads, database credentials, lease lookup and renewal, token renewal.
 * Like Vault, a login's token reads only what deploy/vault/policies/&lt;role&gt;.hcl grants (anything else: 403), so
 * a service needing a path its policy lacks fails here. Secrets are generated per run, except those the local stack
 * already has: the database credentials are its real auth_app (and auth_owner for the migrations path), so the
 * service really connects; the Redis password and the signing seed key are its too.
 *
 * <p>Tests reach the stub through system properties (the port, the signing key's kid, the requests it got): Quarkus
 * may load this class and the test in different class loaders. Init args: {@code lease-seconds} of database leases;
 * {@code kv-omit}: KV keys to leave out of secret/suite/auth-service; {@code migrate-first}: run the migrations as
 * the Job would before the service starts; {@code unreachable}: point the service at a port where nothing listens.
 */
public class VaultStub implements QuarkusTestResourceLifecycleManager {

    public static final String PORT = "vault-stub.port";
    public static final String SIGNING_KID = "vault-stub.signing-kid";
    /** What the stub was asked, one "METHOD URL -> status" per line, set when it stops (after a launch). */
    public static final String REQUESTS = "vault-stub.requests";
    public static final String DB_LEASE_PREFIX = "database/creds/auth-app/";
    /** What the kubelet would project; Vault would validate it with the TokenReview API. */
    static final String PROJECTED_JWT = "projected.service-account-token." + UUID.randomUUID();
    private static final Pattern POLICY_PATH = Pattern.compile("path\\s+\"([^\"]+)\"\\s*\\{\\s*capabilities\\s*=\\s*\\[[^]]*\"read\"");

    private WireMockServer server;
    private Path tokenFile;
    private int leaseSeconds = 3600;
    private List<String> kvOmit = List.of();
    private boolean migrateFirst;
    private boolean unreachable;

    @Override
    public void init(Map<String, String> args) {
        leaseSeconds = Integer.parseInt(args.getOrDefault("lease-seconds", "3600"));
        kvOmit = Arrays.asList(args.getOrDefault("kv-omit", "").split(","));
        migrateFirst = Boolean.parseBoolean(args.get("migrate-first"));
        unreachable = Boolean.parseBoolean(args.get("unreachable"));
    }

    @Override
    public Map<String, String> start() {
        LocalStack stack = LocalStack.shared();
        Map<String, String> suite = stack.properties();
        if (migrateFirst) {
            migrate(suite);
        }
        Map<String, String> config = new HashMap<>();
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
                .willReturn(json(403, new JsonObject().put("errors", List.of("1 error occurred:\n\t* permission denied\n\n")))));
        for (String role : List.of("auth-service", "auth-migrations")) {
            String token = "hvs.stub-" + role + "-" + UUID.randomUUID();
            vault.register(post(urlEqualTo("/v1/auth/kubernetes/login")).atPriority(1)
                    .withRequestBody(equalToJson(new JsonObject().put("role", role).put("jwt", PROJECTED_JWT).encode()))
                    .willReturn(json(200, auth(token, role))));
            // Vault's default policy: every token may renew itself and look up and renew its leases.
            vault.register(post(urlEqualTo("/v1/auth/token/renew-self")).atPriority(1).withHeader("X-Vault-Token", equalTo(token))
                    .willReturn(json(200, auth(token, role))));
            vault.register(post(urlEqualTo("/v1/sys/leases/lookup")).atPriority(1).withHeader("X-Vault-Token", equalTo(token))
                    .willReturn(json(200, new JsonObject().put("data", new JsonObject().put("renewable", true).put("ttl", leaseSeconds)))));
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
            case "secret/data/suite/auth-service": {
                Map<String, Object> kv = new LinkedHashMap<>();
                kv.put("jwt-signing-key", signingKeyPem(suite));
                kv.put("pepper", random());
                kv.put("redis-password", suite.get("suite.redis.password"));
                kv.put("client-secret", random());
                kv.put("user-service-client-secret", random());
                kvOmit.forEach(kv::remove);
                return json(200, kv2(kv));
            }
            case "secret/data/suite/migrations/auth":
                return json(200, kv2(Map.of("db-username", "auth_owner", "db-password", suite.get("suite.pg.auth-owner.password"))));
            case "database/creds/auth-app":
                // A real Vault creates a new member of auth_app per lease; here auth_app itself stands in for it.
                return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withTransformers("response-template")
                        .withBody(new JsonObject().put("lease_id", DB_LEASE_PREFIX + "{{randomValue type='UUID'}}").put("renewable", true)
                                .put("lease_duration", leaseSeconds).put("data", new JsonObject().put("username", "auth_app")
                                        .put("password", suite.get("suite.pg.auth-app.password"))).encode());
            default:
                return json(404, new JsonObject().put("errors", List.of()));
        }
    }

    /**
     * The seed key of the signing key ring. It is the local stack's, because the ring in the shared test database
     * is encrypted under the seed: like in production, the seed in Vault must be the one the ring was made with.
     */
    private static String signingKeyPem(Map<String, String> suite) {
        try {
            String pem = Files.readString(Path.of(suite.get("suite.jwt.signing-key-file")));
            String base64 = pem.replaceAll("-----[A-Z ]+-----|\\s", "");
            ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec("secp256r1");
            org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(key.getS()).normalize();
            ECPublicKeySpec publicSpec = new ECPublicKeySpec(new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                    key.getParams());
            PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(publicSpec);
            System.setProperty(SIGNING_KID, PublicJsonWebKey.Factory.newPublicJwk(publicKey).calculateBase64urlEncodedThumbprint("SHA-256"));
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the migration Job does before the service starts in Kubernetes: Flyway as auth_owner. */
    private static void migrate(Map<String, String> suite) {
        String url = "jdbc:postgresql://" + suite.get("suite.pg.host") + ":" + suite.get("suite.pg.port")
                + "/auth?sslmode=verify-full&sslrootcert=" + suite.get("suite.pg.ca-file");
        Flyway.configure().dataSource(url, "auth_owner", suite.get("suite.pg.auth-owner.password"))
                .schemas("auth").createSchemas(false).locations("classpath:db/migration").load().migrate();
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

    private static JsonObject auth(String token, String role) {
        return new JsonObject().put("auth", new JsonObject().put("client_token", token).put("accessor", UUID.randomUUID().toString())
                .put("policies", List.of("default", role)).put("token_policies", List.of("default", role))
                .put("metadata", new JsonObject().put("role", role).put("service_account_name", role).put("service_account_namespace", "suite"))
                .put("lease_duration", 3600).put("renewable", true).put("token_type", "service").put("orphan", true));
    }

    private static JsonObject kv2(Map<String, Object> data) {
        return new JsonObject().put("lease_id", "").put("renewable", false).put("lease_duration", 0)
                .put("data", new JsonObject().put("data", new JsonObject(data)).put("metadata", new JsonObject()
                        .put("created_time", "2025-01-01T00:00:00Z").put("deletion_time", "").put("destroyed", false).put("version", 1)));
    }

    private static ResponseDefinitionBuilder json(int status, JsonObject body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.encode());
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
