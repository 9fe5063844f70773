package dev.suite.auth.vault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import dev.suite.auth.password.PasswordConfig;
import dev.suite.auth.token.SeedKeys;
import dev.suite.fixtures.VaultStub;
import dev.suite.tokenguard.TokenGuard;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;

/**
 * The %prod configuration against Vault's API (a stand-in, {@link VaultStub}) and the real embedded PostgreSQL and
 * Redis: every secret the service uses comes from Vault, database leases are renewed and then replaced.
 * No property of the local stack gives the service a secret in this profile: only Vault does.
 */
@QuarkusTest
@TestProfile(VaultProfile.class)
class VaultProfileTest {

    /** Health is on the management port only (application.properties). */
    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    static final String CREDS = "/v1/database/creds/auth-app";

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

    final WireMock vault = new WireMock("127.0.0.1", Integer.getInteger(VaultStub.PORT));

    @Test
    void signsWithTheSeedKeyFromVaultAndServesLoginsFromTheRealDatabase() {
        // The seed is the only key this profile is given (no key file): the ring is decrypted and signs with it.
        assertThat(seedKeys.seed().kid()).isEqualTo(System.getProperty(VaultStub.SIGNING_KID));

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
                .body("checks.name", hasItems("Redis connection health check", "Reactive PostgreSQL connections health check"))
                .body("status", equalTo("UP"));
        given().contentType(ContentType.JSON)
                .body(Map.of("clientId", "user-service", "clientSecret", vaultUserServiceSecret, "audience", "auth-service"))
                .post("/internal/service-tokens").then().statusCode(200);
        // Kubernetes login with the projected token, under the service's own role, and no request Vault would refuse.
        vault.verifyThat(postRequestedFor(urlEqualTo("/v1/auth/kubernetes/login"))
                .withRequestBody(WireMock.matchingJsonPath("$.role", WireMock.equalTo("auth-service"))));
        assertThat(vault.getServeEvents()).allSatisfy(event -> assertThat(event.getResponse().getStatus())
                .as(event.getRequest().getMethod() + " " + event.getRequest().getUrl()).isEqualTo(200));
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
    void connectsWithVaultsDatabaseCredentialsRenewsTheLeaseAndReplacesItWhenVaultStopsExtendingIt() throws Exception {
        assertThat(database.query("SELECT current_user").execute().await().indefinitely().iterator().next().getString(0))
                .isEqualTo("auth_app");
        assertThat(vault.find(getRequestedFor(urlEqualTo(CREDS)))).isNotEmpty();
        openANewConnection(); // starts the clock: the lease is now fresh (renewed or, if it had run out, new)

        // Leases last 10 s and are renewed in their last 8 s: the next new connection renews, and keeps the user.
        Thread.sleep(2_500);
        int created = vault.find(getRequestedFor(urlEqualTo(CREDS))).size();
        int renewed = renewals();
        openANewConnection();
        assertThat(renewals()).isGreaterThan(renewed);
        assertThat(vault.find(getRequestedFor(urlEqualTo(CREDS)))).hasSize(created);

        // Near max_ttl Vault extends a lease less than asked: shorter than the grace period means new credentials.
        StubMapping capped = vault.register(post(urlEqualTo("/v1/sys/leases/renew")).atPriority(0)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"lease_id\":\"database/creds/auth-app/capped\",\"renewable\":true,\"lease_duration\":3}")));
        try {
            Thread.sleep(2_500);
            openANewConnection();
            assertThat(vault.find(getRequestedFor(urlEqualTo(CREDS)))).hasSizeGreaterThan(created);
        } finally {
            vault.removeStubMapping(capped);
        }
    }

    private int renewals() {
        return vault.find(postRequestedFor(urlEqualTo("/v1/sys/leases/renew"))).size();
    }

    /** Holds one connection more than the pool has, so the pool must open one (and ask for credentials). */
    private void openANewConnection() {
        List<SqlConnection> held = new ArrayList<>();
        try {
            for (int i = 0, n = database.size() + 1; i < n; i++) {
                SqlConnection connection = database.getConnection().await().indefinitely();
                held.add(connection);
                assertThat(connection.query("SELECT current_user").execute().await().indefinitely().iterator().next().getString(0))
                        .isEqualTo("auth_app");
            }
        } finally {
            held.forEach(SqlConnection::closeAndAwait);
        }
    }
}
