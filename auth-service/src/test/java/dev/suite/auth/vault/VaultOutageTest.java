package dev.suite.auth.vault;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.RealVault;
import dev.suite.localstack.LocalVault;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Vault stopped under a running service (the real OpenBao, SIGTERM): logins go on, on new database connections too
 * (each lives 5 s here), with the secrets and the lease the service holds; readiness stays UP and reports Vault as
 * unreachable; once Vault is back the service notices by itself. Prints how long that took.
 */
@QuarkusTest
@TestProfile(VaultProfile.HourLeases.class)
class VaultOutageTest {

    @TestHTTPResource(value = "health/ready", management = true, tls = true) // %prod: the management port speaks TLS
    URL ready;

    @Test
    void keepsServingWhileVaultIsDownReportsItAndRecoversByItself() throws Exception {
        String email = "vault-outage-" + UUID.randomUUID() + "@example.com";
        String password = "granite-puffin-lighthouse-31";
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password, "displayName", "Outage"))
                .post("/register").then().statusCode(202);
        assertThat(vaultState()).isEqualTo("reachable");

        LocalVault vault = RealVault.vault();
        List<Integer> failures = new ArrayList<>();
        int served = 0;
        vault.stop();
        long restarted;
        try {
            long until = System.nanoTime() + Duration.ofSeconds(12).toNanos(); // past the connections' 5 s lifetime, twice
            while (System.nanoTime() < until) {
                int status = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                        .post("/login").statusCode();
                if (status == 200) {
                    served++;
                } else {
                    failures.add(status);
                }
                Thread.sleep(100);
            }
            JsonPath health = given().get(ready).then().statusCode(200).extract().jsonPath();
            assertThat(health.getString("status")).isEqualTo("UP");
            assertThat(health.getString("checks.find { it.name == 'Vault' }.data.vault")).isEqualTo("unreachable");
        } finally {
            vault.start();
            restarted = System.nanoTime();
        }
        assertThat(failures).as("logins refused while Vault was down (%d served)", served).isEmpty();
        assertThat(served).isGreaterThan(20);

        long deadline = restarted + Duration.ofSeconds(60).toNanos();
        while (!vaultState().equals("reachable") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(vaultState()).isEqualTo("reachable");
        long recovered = (System.nanoTime() - restarted) / 1_000_000;
        // Database credentials again: a lease lookup answered (each new connection asks) after Vault's return.
        int before = RealVault.requests("auth-service").size();
        long asked = System.nanoTime();
        while (RealVault.requests("auth-service").size() == before && System.nanoTime() < deadline) {
            given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password)).post("/login").then().statusCode(200);
            Thread.sleep(200);
        }
        assertThat(RealVault.requests("auth-service").subList(before, RealVault.requests("auth-service").size()))
                .isNotEmpty().allSatisfy(request -> assertThat(request).endsWith("-> ok"));
        System.out.printf("[vault-outage] served %d logins while Vault was down; readiness saw it back %d ms after its restart, "
                + "the first lease call succeeded %d ms later%n", served, recovered, (System.nanoTime() - asked) / 1_000_000);
    }

    private String vaultState() {
        return given().get(ready).then().statusCode(200).extract().jsonPath().getString("checks.find { it.name == 'Vault' }.data.vault");
    }
}
