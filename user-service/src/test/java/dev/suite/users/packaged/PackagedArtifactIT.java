package dev.suite.users.packaged;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.PackagedInProd;
import dev.suite.fixtures.RealVault;
import dev.suite.fixtures.TestServices;
import dev.suite.launcher.SuiteTopology;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The artifact the build produced (target/quarkus-app's jar; built with {@code -Dquarkus.native.enabled=true} the
 * native binary, same test), started in %prod as its own process against the local stack's real OpenBao, PostgreSQL and
 * Redis and the real auth service (TestServices): it starts with every secret from Vault and is ready, verifies a real
 * token against the auth service's JWKS and refuses a request without one, and reads the display-name rules native-
 * image must embed (quarkus.native.resources.includes).
 */
@QuarkusIntegrationTest
@QuarkusTestResource(TestServices.class)
@TestProfile(PackagedArtifactIT.InProd.class)
class PackagedArtifactIT {

    static final String PASSWORD = "quiet-harbour-lantern-77";

    /** %prod itself (no test profile on top); the schema exists, as the migration Job leaves it. */
    public static class InProd implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PackagedInProd.class, Map.of("role", "user-service", "migrate-first", "users")));
        }
    }

    @Test
    void startsWithEverySecretFromVaultAndIsReadyOnTheTlsManagementPort() {
        given().get(PackagedInProd.managementUrl("/q/health/ready")).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Redis connection health check", "Reactive PostgreSQL connections health check"));
        assertThat(RealVault.requests("user-service"))
                .contains("update auth/approle/login -> ok", "read secret/data/suite/user-service -> ok", "read database/creds/users-app -> ok")
                .noneMatch(request -> request.contains("permission denied"));
    }

    @Test
    void aProfileIsReadWithTheAuthServicesTokenAndRefusedWithoutOne() {
        given().get("/users/me").then().statusCode(401).contentType("application/problem+json");
        String token = signIn("Packaged");
        given().auth().oauth2(token).get("/users/me").then().statusCode(200).body("displayName", equalTo("Packaged"));
    }

    @Test
    void theDisplayNameRulesNativeImageMustEmbedAreReadFromTheArtifact() {
        // dev/suite/names/display-name-rules.json (service-kit's DisplayName): invisible fillers only
        String token = signIn("Packaged");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("displayName", "\u3164\u3164"))
                .patch("/users/me").then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("A display name"));
        given().auth().oauth2(token).get("/users/me").then().statusCode(200).body("displayName", equalTo("Packaged"));
    }

    /** Registers and signs in a new user at the real auth service: its access token. */
    private static String signIn(String displayName) {
        String authUrl = TestServices.start(SuiteTopology.AUTH).url();
        String email = "packaged-" + UUID.randomUUID() + "@example.com";
        given().baseUri(authUrl).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "displayName", displayName)).post("/register").then().statusCode(202);
        return given().baseUri(authUrl).contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/login").then().statusCode(200).extract().jsonPath().getString("accessToken");
    }
}
