package dev.suite.gateway;

import static dev.suite.gateway.GatewayClient.https;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import dev.suite.tokenguard.HostileTokens;
import dev.suite.tokenguard.TokenFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** What an attacker sends the gateway: hostile access cookies, expired CSRF tokens, spoofed forwarding headers. */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class GatewayHostileInputTest {

    static List<HostileTokens.Attack> attacks() {
        return new HostileTokens(realKeyFactory()).all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void everyHostileTokenAsTheAccessCookieIs401(HostileTokens.Attack attack) {
        https().cookie("__Host-access", attack.token().get()).get("/api/users/me").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void anExpiredCsrfTokenBoundToTheRightSessionIs403() throws Exception {
        GatewayClient ivy = GatewayClient.signedIn("Ivy");
        String sid = claims(ivy.jar.get("__Host-access")).split("\"sid\":\"")[1].split("\"")[0];
        String expired = sign("v1.sid-" + sid + "." + (Instant.now().getEpochSecond() - 1));
        String fresh = sign("v1.sid-" + sid + "." + (Instant.now().getEpochSecond() + 60));
        Map<String, String> body = Map.of("bio", "x");
        ivy.withCsrf(expired).contentType(ContentType.JSON).body(body).patch("/api/users/me").then().statusCode(403);
        // the control: the same construction, not expired, passes, so only the expiry made the difference
        ivy.withCsrf(fresh).contentType(ContentType.JSON).body(body).patch("/api/users/me").then().statusCode(200);
    }

    @Test
    void spoofedForwardingAndAuthorizationHeadersChangeNothing() {
        GatewayClient jack = GatewayClient.signedIn("Jack");
        // A client claiming another origin address or protocol is still itself; its X-Forwarded-* never pass.
        jack.browser().header("X-Forwarded-For", "10.0.0.1").header("X-Forwarded-Proto", "http")
                .header("X-Forwarded-Host", "evil.example").get("/api/users/me").then().statusCode(200);
        // A forged bearer next to the session cookies is refused, not preferred.
        jack.browser().header("Authorization", "Bearer forged").get("/api/users/me").then().statusCode(400);
        // The login response carries no Authorization or token header a client could pick up.
        GatewayClient fresh = new GatewayClient();
        fresh.csrf();
        String email = jack.jar.get("email");
        assertThat(fresh.browser().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", GatewayClient.PASSWORD)).post("/api/auth/login")
                .headers().asList()).noneMatch(h -> h.getName().equalsIgnoreCase("Authorization"));
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(ConfigProvider.getConfig().getValue("suite.gateway.csrf-key", String.class)
                .getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    /** Tokens signed with the auth service's real dev key and kid, of its issuer (its URL). */
    static TokenFactory realKeyFactory() {
        String issuer = ConfigProvider.getConfig().getValue("suite.auth.url", String.class);
        String jwks = io.restassured.RestAssured.given().baseUri(issuer).get("/.well-known/jwks.json").asString();
        return TokenFactory.withRealKey(jwks,
                java.nio.file.Path.of(ConfigProvider.getConfig().getValue("suite.jwt.signing-key-file", String.class)), issuer, "gateway");
    }
}
