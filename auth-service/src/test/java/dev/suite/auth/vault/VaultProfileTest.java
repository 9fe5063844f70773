package dev.suite.auth.vault;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.suite.auth.password.PasswordConfig;
import dev.suite.auth.token.SeedKeys;
import dev.suite.fixtures.RealVault;
import dev.suite.tokenguard.TokenGuard;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;

/**
 * The %prod configuration against the local stack's real OpenBao ({@link RealVault}) and the real embedded PostgreSQL
 * and Redis: every secret the service uses comes from Vault, and the database users are the database engine's
 * short-lived members of auth_app, renewed and then replaced while requests flow. No property of the local stack gives
 * the service a secret in this profile: only Vault does.
 */
@QuarkusTest
@TestProfile(VaultProfile.class)
class VaultProfileTest {

    /** Health is on the management port only (application.properties). */
    @TestHTTPResource(value = "health/ready", management = true, tls = true) // %prod: the management port speaks TLS
    URL ready;

    static final String CREDS = "read database/creds/auth-app -> ok";
    static final String RENEWAL = "update sys/leases/renew -> ok";
    /** quarkus.datasource.reactive.max-size in application.properties. */
    static final int MAX_POOL_SIZE = 20;

    @Inject
    Pool database;

    @Inject
    PasswordConfig passwords;

    @Inject
    SeedKeys seedKeys;

    @Inject
    TokenGuard guard;

    @ConfigProperty(name = "pepper")
    String vaultPepper;

    @ConfigProperty(name = "user-service-client-secret")
    String vaultUserServiceSecret;

    @ConfigProperty(name = "auth.client-credentials.clients.greeter.secret")
    String vaultGreeterSecret;

    @Test
    void signsWithTheSeedKeyFromVaultAndServesLoginsFromTheRealDatabase() {
        // The seed is the only key this profile is given (no key file): the ring is decrypted and signs with it.
        assertThat(seedKeys.seed().kid()).isEqualTo(System.getProperty(RealVault.SIGNING_KID));

        String email = "vault-" + UUID.randomUUID() + "@example.com";
        Map<String, String> account = Map.of("email", email, "password", "violet-otter-marmalade-42", "displayName", "Vault");
        given().contentType(ContentType.JSON).body(account).post("/register").then().statusCode(202);
        String token = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", account.get("password")))
                .post("/login").then().statusCode(200).extract().jsonPath().getString("accessToken");
        JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
        assertThat(given().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath().getList("keys.kid", String.class))
                .contains(header.getString("kid"));
        assertThat(guard.check(token).await().atMost(Duration.ofSeconds(5))).isNotNull();
    }

    @Test
    void takesPepperRedisPasswordAndClientSecretFromVault() {
        assertThat(passwords.pepper()).contains(vaultPepper);
        given().get(ready).then().statusCode(200)
                .body("checks.name", hasItems("Redis connection health check", "Reactive PostgreSQL connections health check", "Database schema"))
                .body("status", equalTo("UP"));
        given().contentType(ContentType.JSON)
                .body(Map.of("clientId", "user-service", "clientSecret", vaultUserServiceSecret, "audience", "auth-service"))
                .post("/internal/service-tokens").then().statusCode(200);
        // AppRole login under the service's own role, its own KV path, every read answered, nothing refused by a policy.
        // (A lookup of a lease that has ended answers "invalid request": quarkus-vault then asks for new credentials.)
        assertThat(RealVault.requests("auth-service")).contains("update auth/approle/login -> ok", "read secret/data/suite/auth-service -> ok")
                .noneMatch(request -> request.contains("permission denied"))
                .filteredOn(request -> request.startsWith("read ")).allSatisfy(request -> assertThat(request).endsWith("-> ok"));
    }

    @Test
    void aClientRegisteredByConfigurationGetsServiceTokensForItsAudiencesOnly() {
        // README, "Using token-guard in another Quarkus service": the audiences in the environment, the secret in Vault;
        // no release of the auth service. (Vault's config source lists no names, so the secret alone would not do.)
        given().contentType(ContentType.JSON)
                .body(Map.of("clientId", "greeter", "clientSecret", vaultGreeterSecret, "audience", "user-service"))
                .post("/internal/service-tokens").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("clientId", "greeter", "clientSecret", vaultGreeterSecret, "audience", "auth-service"))
                .post("/internal/service-tokens").then().statusCode(403);
        given().contentType(ContentType.JSON)
                .body(Map.of("clientId", "greeter", "clientSecret", vaultUserServiceSecret, "audience", "user-service"))
                .post("/internal/service-tokens").then().statusCode(401);
    }

    @Test
    void connectsAsVaultsShortLivedUsersRenewsTheLeaseAndReplacesItWhileRequestsFlowWithoutOneFailure() throws Exception {
        assertThat(appUser(database.query("SELECT current_user, pg_has_role(current_user, 'auth_app', 'MEMBER')").execute()
                .await().indefinitely().iterator().next())).startsWith("v-approle-auth-app-");
        assertThat(RealVault.requests("auth-service")).contains(CREDS);

        // Logins (a database read and a session write each) flow the whole time, from another thread.
        String email = "vault-load-" + UUID.randomUUID() + "@example.com";
        String password = "cobalt-heron-windmill-58";
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password, "displayName", "Load"))
                .post("/register").then().statusCode(202);
        AtomicBoolean flowing = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Thread load = new Thread(() -> {
            while (flowing.get()) {
                int status = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                        .post("/login").statusCode();
                if (status == 200) {
                    ok.incrementAndGet();
                } else {
                    synchronized (failures) {
                        failures.add(String.valueOf(status));
                    }
                }
            }
        }, "vault-lease-load");
        load.start();
        Set<String> users = ConcurrentHashMap.newKeySet();
        try {
            // Start the clock at a fresh lease. The current one may be a renewal close to max_ttl (the service started
            // a while ago), whose next renewal would already be a replacement: wait for the replacement (the logins
            // open new connections all the time, each living 3 s at most).
            long before = count(CREDS);
            long freshBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count(CREDS) == before && System.nanoTime() < freshBy) {
                Thread.sleep(200);
            }
            assertThat(count(CREDS)).as("a fresh lease to start from").isGreaterThan(before);
            long created = count(CREDS);
            long renewed = count(RENEWAL);
            openANewConnection(users); // the fresh lease's user

            // Leases last 10 s and are renewed in their last 8 s: while the logins open connections, the lease is
            // renewed and the user kept. (Which connection renews it, the test's or a login's, is a matter of timing.)
            long renewedBy = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (count(RENEWAL) == renewed && System.nanoTime() < renewedBy) {
                Thread.sleep(200);
            }
            assertThat(count(RENEWAL)).as("a renewal of the fresh lease").isGreaterThan(renewed);
            assertThat(count(CREDS)).as("the same user across the renewal").isEqualTo(created);

            // Near max_ttl (16 s) Vault extends the lease less than asked: once less than the grace period is left,
            // quarkus-vault asks for new credentials, a new user; connections of the old one are recycled (3 s) before
            // Vault drops it.
            // The logins need new connections all the time (each lives 3 s at most): no help needed.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count(CREDS) == created && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(count(CREDS)).as("new credentials once the lease could not be extended").isGreaterThan(created);
            Thread.sleep(6_000); // every connection of the first user has been recycled, and requests still flow
            openANewConnection(users);
        } finally {
            flowing.set(false);
            load.join();
        }
        assertThat(users).as("short-lived users seen").hasSizeGreaterThanOrEqualTo(2);
        assertThat(failures).as("failed logins across renewal and replacement (%d succeeded)", ok.get()).isEmpty();
        assertThat(ok.get()).isGreaterThan(20);
    }

    private static long count(String request) {
        return RealVault.requests("auth-service").stream().filter(request::equals).count();
    }

    /** The user of a row of (current_user, member of the app role): a short-lived member of auth_app, never auth_app. */
    private static String appUser(Row row) {
        assertThat(row.getBoolean(1)).as(row.getString(0) + " is a member of auth_app").isTrue();
        assertThat(row.getString(0)).isNotEqualTo("auth_app");
        return row.getString(0);
    }

    /**
     * Holds one connection more than the pool has, so the pool must open one (and ask for credentials). Only while the
     * pool is small: holding more than its maximum would wait for ever.
     */
    private void openANewConnection(Set<String> users) {
        List<SqlConnection> held = new ArrayList<>();
        try {
            int n = database.size() + 1;
            assertThat(n).as("connections to hold").isLessThanOrEqualTo(MAX_POOL_SIZE);
            for (int i = 0; i < n; i++) {
                SqlConnection connection = database.getConnection().await().indefinitely();
                held.add(connection);
                users.add(appUser(connection.query("SELECT current_user, pg_has_role(current_user, 'auth_app', 'MEMBER')")
                        .execute().await().indefinitely().iterator().next()));
            }
        } finally {
            held.forEach(SqlConnection::closeAndAwait);
        }
    }
}
