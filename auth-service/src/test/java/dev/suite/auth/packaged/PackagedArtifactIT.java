package dev.suite.auth.packaged;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.fixtures.PackagedInProd;
import dev.suite.fixtures.RealVault;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * The artifact the build produced (target/quarkus-app's jar; built with {@code -Dquarkus.native.enabled=true} the
 * native binary, same test), started in %prod as its own process against the local stack's real OpenBao, PostgreSQL and
 * Redis: what only packaging can break. It starts with every secret from Vault and is ready; a user registers and signs
 * in with production's bcrypt cost; and the resources application.properties makes native-image embed
 * (quarkus.native.resources.includes) are read from the artifact, each proved by a refusal only that file can produce.
 */
@QuarkusIntegrationTest
@TestProfile(PackagedArtifactIT.InProd.class)
class PackagedArtifactIT {

    /** %prod itself (no test profile on top); the schema exists, as the migration Job leaves it. */
    public static class InProd implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PackagedInProd.class, Map.of("role", "auth-service", "migrate-first", "auth")));
        }
    }

    @Test
    void startsWithEverySecretFromVaultAndIsReadyOnTheTlsManagementPort() {
        given().get(PackagedInProd.managementUrl("/q/health/ready")).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Redis connection health check", "Reactive PostgreSQL connections health check"));
        assertThat(RealVault.requests("auth-service"))
                .contains("update auth/approle/login -> ok", "read secret/data/suite/auth-service -> ok", "read database/creds/auth-app -> ok")
                .noneMatch(request -> request.contains("permission denied"));
    }

    @Test
    void aUserRegistersAndSignsInAndTheJwksHasTheKeyThatSigned() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, AuthClient.PASSWORD, "Packaged").then().statusCode(AuthClient.REGISTERED);
        String token = AuthClient.from(AuthClient.newClientAddress()).body(Map.of("email", email, "password", AuthClient.PASSWORD))
                .post("/login").then().statusCode(200).extract().jsonPath().getString("accessToken");
        String kid = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8))
                .getString("kid");
        assertThat(given().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath().getList("keys.kid", String.class))
                .contains(kid);
    }

    @Test
    void theResourcesNativeImageMustEmbedAreReadFromTheArtifact() {
        // dictionaries/passwords.txt (nbvcxz's breached-password list, CommonPasswords)
        refused("123456789987654321", "Packaged", "password is too common");
        // passwords/known-phrases.txt (KnownPhrases)
        refused("Sphinx of black quartz, judge my vow.", "Packaged", "password is too easy to guess: it is a well-known phrase");
        // dev/suite/names/display-name-rules.json (service-kit's DisplayName): invisible fillers only
        refused(AuthClient.PASSWORD, "\u3164\u3164", "A display name");
    }

    private static void refused(String password, String displayName, String detail) {
        AuthClient.register(AuthClient.newEmail(), password, displayName).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith(detail));
    }
}
