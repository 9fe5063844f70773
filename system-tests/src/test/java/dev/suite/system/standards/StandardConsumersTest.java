package dev.suite.system.standards;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.suite.launcher.ServiceProcess;
import dev.suite.localstack.SuiteRoot;
import dev.suite.system.support.Answer;
import dev.suite.system.support.Http;
import dev.suite.system.support.Node;
import dev.suite.system.support.RunningSuite;
import dev.suite.tokenguard.TokenFactory;
import io.vertx.core.json.JsonObject;

/**
 * Two standard libraries that are not ours verify the running suite's tokens given nothing but the issuer URL:
 * quarkus-oidc in the example service {@code examples/oidc-consumer} (OpenID discovery, then the JWKS), and Node's
 * jose in {@code examples/node-verifier/verify.mjs}. Each accepts a live token (and a control signed with the real
 * key) and refuses forged, expired, foreign and mistyped ones. Neither can see a logout, which is what RFC 7662
 * introspection is for: the same Node script, as a registered client, finds the logged-out token inactive.
 */
class StandardConsumersTest {

    private static final RunningSuite SUITE = RunningSuite.shared();
    private static final String PASSWORD = "violet otter marmalade quartz lantern";
    private static ServiceProcess oidcConsumer;
    private static Node nodeVerifier;

    @BeforeAll
    static void startTheConsumers() {
        oidcConsumer = SUITE.startBeside("oidc-consumer", "examples/oidc-consumer", Map.of());
        nodeVerifier = Node.in(SuiteRoot.find().resolve("examples/node-verifier"));
    }

    @Test
    void theIssuerUrlLeadsToTheMetadataAtBothWellKnownNames() {
        String issuer = SUITE.authUrl();
        JsonObject openid = Http.get(issuer + "/.well-known/openid-configuration").json();
        assertThat(openid.getString("issuer")).isEqualTo(issuer);
        assertThat(openid.getString("jwks_uri")).isEqualTo(issuer + "/.well-known/jwks.json");
        assertThat(openid.getString("introspection_endpoint")).isEqualTo(issuer + "/oauth2/introspect");
        assertThat(Http.get(issuer + "/.well-known/oauth-authorization-server").json()).isEqualTo(openid);
        assertThat(Http.get(openid.getString("jwks_uri")).status()).isEqualTo(200);
    }

    @Test
    void quarkusOidcAcceptsLiveTokensAndRefusesTheRest() {
        JsonObject user = signIn();
        Answer answer = whoAmI(user.getString("accessToken"));
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(answer.json().getString("subject")).isEqualTo(user.getJsonObject("user").getString("id"));
        assertThat(answer.json().getString("session")).isEqualTo(user.getString("sessionId"));
        assertThat(answer.json().getString("issuer")).isEqualTo(SUITE.authUrl());
        hostileTokens().forEach((name, token) -> assertThat(whoAmI(token).status()).as(name).isEqualTo(name.startsWith("control") ? 200 : 401));
        assertThat(Http.get(oidcConsumer.url() + "/whoami").status()).as("no token").isEqualTo(401);
    }

    @Test
    void nodeJoseAcceptsLiveTokensAndRefusesTheRest() {
        JsonObject user = signIn();
        Node.Run live = verify(user.getString("accessToken"));
        assertThat(live.exit()).as(live.output()).isZero();
        assertThat(new JsonObject(live.output()).getString("sub")).isEqualTo(user.getJsonObject("user").getString("id"));
        Map<String, String> tokens = hostileTokens();
        // jose checks the JOSE header's typ (quarkus-oidc's token-type reads a payload claim instead: docs/tokens.md).
        TokenFactory real = realKey();
        tokens.put("a user token's claims under a service token's typ", real.sign(real.userClaims(), real.key(), "ES256", "svc+jwt"));
        tokens.forEach((name, token) -> {
            Node.Run run = verify(token);
            assertThat(run.exit()).as(name + ": " + run.output()).isEqualTo(name.startsWith("control") ? 0 : 1);
        });
    }

    /** A logged-out token still carries a valid signature until it expires: only introspection sees the logout. */
    @Test
    void introspectionRefusesALoggedOutTokenThatSignaturesStillAccept() {
        String token = signIn().getString("accessToken");
        Node.Run before = introspect(token);
        assertThat(before.exit()).as(before.output()).isZero();
        assertThat(new JsonObject(before.output()).getBoolean("active")).isTrue();

        Answer logout = Http.send("POST", SUITE.authUrl() + "/logout", Map.of("Authorization", "Bearer " + token), (String) null);
        assertThat(logout.status()).as("%s", logout).isEqualTo(204);

        Node.Run after = introspect(token);
        assertThat(after.exit()).as(after.output()).isEqualTo(1);
        assertThat(new JsonObject(after.output()).getBoolean("active")).isFalse();
        // What local verification cannot know, whichever library does it:
        assertThat(verify(token).exit()).as("jose, signature only").isZero();
        assertThat(whoAmI(token).status()).as("quarkus-oidc, signature only").isEqualTo(200);
        // And introspection is for registered clients only.
        Node.Run stranger = nodeVerifier.node(List.of("verify.mjs", "introspect", SUITE.authUrl()), token,
                Map.of("CLIENT_ID", "user-service", "CLIENT_SECRET", "not-the-secret", "SUITE_CA_FILE", suiteCa()));
        assertThat(stranger.exit()).as("a wrong secret: HTTP 401, no answer").isEqualTo(2);
    }

    /** Named attacks, each refused, beside controls signed with the real key that pass. */
    private static Map<String, String> hostileTokens() {
        TokenFactory real = realKey();
        TokenFactory stranger = new TokenFactory(TokenFactory.newKey(real.key().getKeyId()), SUITE.authUrl(), "suite", "gateway");
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("control: signed with the real key", real.sign(real.userClaims()));
        tokens.put("forged: another key under the real kid", stranger.sign(stranger.userClaims()));
        tokens.put("expired 100 s ago", real.sign(claims(real, c -> {
            c.setIssuedAt(ago(400));
            c.setNotBefore(ago(400));
            c.setExpirationTime(ago(100));
        })));
        tokens.put("another issuer", real.sign(claims(real, c -> c.setIssuer("https://evil.example"))));
        tokens.put("another audience", real.sign(claims(real, c -> c.setAudience("someone-else"))));
        tokens.put("a real service token (for the auth service)", serviceToken());
        tokens.put("not a token", "not-a-token");
        return tokens;
    }

    /** Tokens signed with the suite's real dev key, under its published kid. */
    private static TokenFactory realKey() {
        String issuer = SUITE.authUrl();
        return TokenFactory.withRealKey(Http.get(issuer + "/.well-known/jwks.json").body(),
                Path.of(SUITE.stack().properties().get("suite.jwt.signing-key-file")), issuer, "gateway");
    }

    /** A service token as the auth service issues it to the user service: typ svc+jwt, aud auth-service. */
    private static String serviceToken() {
        Answer answer = Http.send("POST", SUITE.authUrl() + "/internal/service-tokens", Map.of(), new JsonObject()
                .put("clientId", "user-service").put("clientSecret", clientSecret()).put("audience", "auth-service").encode());
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return answer.json().getString("accessToken");
    }

    private static String clientSecret() {
        return SUITE.stack().properties().get("suite.client.user-service.secret");
    }

    private static JwtClaims claims(TokenFactory factory, Consumer<JwtClaims> change) {
        JwtClaims claims = factory.userClaims();
        change.accept(claims);
        return claims;
    }

    private static NumericDate ago(long seconds) {
        return NumericDate.fromSeconds(Instant.now().getEpochSecond() - seconds);
    }

    private static Answer whoAmI(String token) {
        return Http.send("GET", oidcConsumer.url() + "/whoami", Map.of("Authorization", "Bearer " + token), (String) null);
    }

    private static Node.Run verify(String token) {
        return nodeVerifier.node(List.of("verify.mjs", "verify", SUITE.authUrl()), token, Map.of("SUITE_CA_FILE", suiteCa()));
    }

    /** As the user service, a registered client of the suite. */
    private static Node.Run introspect(String token) {
        return nodeVerifier.node(List.of("verify.mjs", "introspect", SUITE.authUrl()), token,
                Map.of("CLIENT_ID", "user-service", "CLIENT_SECRET", clientSecret(), "SUITE_CA_FILE", suiteCa()));
    }

    /** The suite's CA, the one make run tells a consumer to trust (the oidc-consumer gets it as SUITE_TLS_CA_FILE). */
    private static String suiteCa() {
        return SUITE.stack().properties().get("suite.tls.ca-file");
    }

    /** A new account, signed in straight at the auth service (as a CLI client would): its login answer. */
    private static JsonObject signIn() {
        String email = "standards-" + UUID.randomUUID() + "@example.com";
        Answer registered = Http.send("POST", SUITE.authUrl() + "/register", Map.of(),
                new JsonObject().put("email", email).put("password", PASSWORD).put("displayName", "Outside Verifier").encode());
        assertThat(registered.status()).as("%s", registered).isEqualTo(202);
        Answer login = Http.send("POST", SUITE.authUrl() + "/login", Map.of(),
                new JsonObject().put("email", email).put("password", PASSWORD).encode());
        assertThat(login.status()).as("%s", login).isEqualTo(200);
        return login.json();
    }
}
