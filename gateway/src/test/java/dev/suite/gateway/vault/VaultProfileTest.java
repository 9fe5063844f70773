package dev.suite.gateway.vault;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import java.net.URL;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import dev.suite.fixtures.RealVault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The %prod configuration behind an Ingress that terminates TLS: secrets (CSRF key, Redis password) from Vault's API
 * (the local stack's real OpenBao, {@link RealVault}), upstreams and JWKS from the suite-config URLs, plain HTTP without a redirect, CORS
 * only for the configured origin, and client addresses taken from X-Forwarded-For of the trusted proxy.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
@TestProfile(VaultProfile.class)
class VaultProfileTest {

    /** Health is on the management port only (application.properties). */
    @TestHTTPResource(value = "health/ready", management = true, tls = true) // %prod: the management port speaks TLS
    URL ready;

    static final String PASSWORD = "amber-kestrel-orchard-19";

    final String clientIp = "203.0.113." + new SecureRandom().nextInt(250);

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.test-port")
    int testPort;

    /** A request as the ingress controller forwards it: plain HTTP, the client's address and scheme in headers. */
    RequestSpecification viaIngress(String ip, Map<String, String> cookies) {
        RequestSpecification spec = given().redirects().follow(false).header("X-Forwarded-For", ip).header("X-Forwarded-Proto", "https")
                .cookies(cookies);
        String csrf = cookies.get("__Host-csrf");
        return csrf == null ? spec : spec.header("X-CSRF-Token", csrf);
    }

    @Test
    void signsInThroughTheServicesWithTheCsrfKeyAndRedisPasswordFromVault() {
        given().get(ready).then().statusCode(200)
                .body("checks.name", hasItems("Redis connection health check")).body("status", equalTo("UP"));
        Map<String, String> jar = new HashMap<>();
        remember(jar, viaIngress(clientIp, jar).get("/api/auth/csrf").then().statusCode(200).extract().response());
        String email = "gw-vault-" + UUID.randomUUID() + "@example.com";
        remember(jar, viaIngress(clientIp, jar).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "displayName", "Vault")).post("/api/auth/register")
                .then().statusCode(202).extract().response());
        remember(jar, viaIngress(clientIp, jar).contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/api/auth/login").then().statusCode(200).extract().response());
        // The access cookie is verified with the auth service's JWKS, then the user service answers.
        viaIngress(clientIp, jar).get("/api/users/me").then().statusCode(200).body("displayName", equalTo("Vault"));

        // AppRole login under the gateway's own role, its own KV path, and no request the server refused.
        assertThat(RealVault.requests("gateway")).contains("update auth/approle/login -> ok", "read secret/data/suite/gateway -> ok")
                .allSatisfy(request -> assertThat(request).endsWith("-> ok"));
    }

    @Test
    void servesPlainHttpBehindTheIngressWithoutRedirectingToHttps() {
        given().redirects().follow(false).get("/api/auth/csrf").then().statusCode(200);
    }

    @Test
    void allowsCorsOnlyForTheConfiguredOrigin() {
        given().header("Origin", VaultProfile.SPA_ORIGIN).get("/api/auth/jwks.json").then()
                .header("Access-Control-Allow-Origin", VaultProfile.SPA_ORIGIN);
        given().header("Origin", "https://evil.example").get("/api/auth/jwks.json").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void rateLimitsEachForwardedClientAddressSeparately() {
        String noisy = "198.51.100." + new SecureRandom().nextInt(250);
        // A refresh cookie to spend (a signed-out refresh costs no attempt): counted, then refused by the CSRF check.
        Map<String, String> spent = Map.of("__Host-refresh", "used-or-stolen");
        for (int i = 0; i < VaultProfile.AUTH_PER_WINDOW; i++) {
            viaIngress(noisy, spent).post("/api/auth/refresh").then().statusCode(403);
        }
        viaIngress(noisy, spent).post("/api/auth/refresh").then().statusCode(429);
        // Every request came from 127.0.0.1 (the "ingress controller"): another client behind it is unaffected.
        viaIngress("198.51.100.251", spent).post("/api/auth/refresh").then().statusCode(403);
    }

    /**
     * The attack from anywhere but the proxy (SUITE_INGRESS_PROXIES is 127.0.0.1 here): a client connecting from
     * another address sends a fresh X-Forwarded-For with every request to buy a fresh bucket each time. The header is
     * not believed from there, so the client meets the limit of its own address, and a client the proxy forwards is
     * unaffected. (Behind the Gateway the NetworkPolicy keeps such peers out as well: deploy/k8s IngressPathTest.)
     */
    @Test
    void aSpoofedForwardedAddressFromAPeerThatIsNotTheProxyBuysNoFreshBucket() throws Exception {
        String peer = "127.0.0." + (10 + new SecureRandom().nextInt(200));
        for (int i = 0; i < VaultProfile.AUTH_PER_WINDOW; i++) {
            assertThat(refreshFrom(peer, "198.51.100." + i)).startsWith("HTTP/1.1 403");
        }
        assertThat(refreshFrom(peer, "198.51.100.250")).as("a new X-Forwarded-For, the same peer").startsWith("HTTP/1.1 429");
        viaIngress("203.0.113.251", Map.of("__Host-refresh", "used-or-stolen")).post("/api/auth/refresh").then().statusCode(403);
    }

    /** A signed-out refresh (counted, then refused by the CSRF check) from the given local address; its status line. */
    private String refreshFrom(String localAddress, String forwardedFor) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getByName("127.0.0.1"), testPort,
                java.net.InetAddress.getByName(localAddress), 0)) {
            socket.getOutputStream().write(("POST /api/auth/refresh HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + forwardedFor
                    + "\r\nX-Forwarded-Proto: https\r\nCookie: __Host-refresh=used-or-stolen\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
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
