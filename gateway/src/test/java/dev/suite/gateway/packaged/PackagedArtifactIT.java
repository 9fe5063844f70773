package dev.suite.gateway.packaged;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.PackagedInProd;
import dev.suite.fixtures.RealVault;
import dev.suite.fixtures.TestServices;
import dev.suite.localstack.SuiteRoot;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The artifact the build produced (target/quarkus-app's jar; built with {@code -Dquarkus.native.enabled=true} the
 * native binary, same test), started in %prod as its own process, plain HTTP behind the "ingress" (this test, on
 * 127.0.0.1), against the local stack's real OpenBao and Redis and the real auth and user services (TestServices): it
 * starts with its secrets from Vault and is ready, serves the SPA at / and its assets with the security headers, and
 * refuses a signed-in unsafe request that lacks the CSRF header (the same request with it passes).
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
@TestProfile(PackagedArtifactIT.InProd.class)
class PackagedArtifactIT {

    static final String SPA_ORIGIN = "https://suite.example.test";
    static final String PASSWORD = "amber-kestrel-orchard-19";
    /** A client of its own behind the ingress: its own rate-limit bucket. */
    static final String CLIENT = "203.0.113." + new java.security.SecureRandom().nextInt(250);

    /**
     * %prod itself, with the suite-config ConfigMap's public origin, and the SPA where make spa builds it (the image
     * carries it at %prod's /work/spa, Dockerfile.native; make test builds it before Maven runs).
     */
    public static class InProd implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.public-origins", SPA_ORIGIN, "gateway.spa-dir", SuiteRoot.find().resolve("spa/dist").toString());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PackagedInProd.class, Map.of("role", "gateway")));
        }
    }

    @Test
    void startsWithItsSecretsFromVaultAndIsReadyOnTheTlsManagementPort() {
        given().get(PackagedInProd.managementUrl("/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
        assertThat(RealVault.requests("gateway")).contains("update auth/approle/login -> ok", "read secret/data/suite/gateway -> ok")
                .allSatisfy(request -> assertThat(request).endsWith("-> ok"));
    }

    @Test
    void servesTheSpaAndItsAssetsWithTheSecurityHeaders() {
        assertThat(SuiteRoot.find().resolve("spa/dist/index.html")).as("the SPA is built (make spa; make test builds it first)")
                .exists();
        String index = securityHeaders(viaIngress().get("/").then().statusCode(200).contentType(startsWith("text/html")))
                .extract().asString();
        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index);
        assertThat(script.find()).as("the built index.html names its script: " + index).isTrue();
        securityHeaders(viaIngress().get(script.group(1)).then().statusCode(200).contentType(containsString("javascript")));
    }

    @Test
    void aSignedInUnsafeRequestWithoutTheCsrfHeaderIsRefused() {
        Map<String, String> jar = new HashMap<>();
        remember(jar, viaIngress().get("/api/auth/csrf").then().statusCode(200).extract().response());
        String email = "packaged-" + UUID.randomUUID() + "@example.com";
        remember(jar, withCsrf(jar).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "displayName", "Packaged")).post("/api/auth/register")
                .then().statusCode(202).extract().response());
        remember(jar, withCsrf(jar).contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/api/auth/login").then().statusCode(200).extract().response());

        viaIngress().cookies(jar).contentType(ContentType.JSON).body(Map.of("bio", "forged")).patch("/api/users/me")
                .then().statusCode(403).contentType("application/problem+json");
        // The control: the same request with the session's CSRF header passes, so the refusal above was the CSRF check.
        withCsrf(jar).contentType(ContentType.JSON).body(Map.of("bio", "mine")).patch("/api/users/me").then().statusCode(200);
        withCsrf(jar).get("/api/users/me").then().statusCode(200).body("bio", equalTo("mine"));
    }

    /** A request as the ingress controller forwards it: plain HTTP, the client's scheme and address in headers. */
    private static RequestSpecification viaIngress() {
        return given().redirects().follow(false).header("X-Forwarded-Proto", "https").header("X-Forwarded-For", CLIENT);
    }

    private static RequestSpecification withCsrf(Map<String, String> jar) {
        RequestSpecification spec = viaIngress().cookies(jar);
        String csrf = jar.get("__Host-csrf");
        return csrf == null ? spec : spec.header("X-CSRF-Token", csrf);
    }

    private static io.restassured.response.ValidatableResponse securityHeaders(io.restassured.response.ValidatableResponse response) {
        return response.header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Strict-Transport-Security", startsWith("max-age="));
    }

    private static void remember(Map<String, String> jar, Response response) {
        response.getDetailedCookies().asList().forEach(cookie -> {
            if (cookie.getMaxAge() == 0 || cookie.getValue().isEmpty()) {
                jar.remove(cookie.getName());
            } else {
                jar.put(cookie.getName(), cookie.getValue());
            }
        });
    }
}
