package dev.suite.auth.attacks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.suite.auth.Admins;
import dev.suite.auth.AuthClient;
import dev.suite.auth.token.SigningKeys;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * RFC 7662 introspection, as an attacker would use it: without being a registered client, with a user's or a service's
 * token as the credential, with a guessed secret, as an oracle about tokens (which reason made one dead, whose
 * tokens exist), and with tokens of other issuers and keys. Only a registered client learns anything, and it learns
 * only what the token itself says, and only about tokens its own token-guard would accept.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class IntrospectionAttackTest {

    static final String PATH = "/oauth2/introspect";
    static final String CLIENT = "user-service";

    @ConfigProperty(name = "suite.client.user-service.secret")
    String secret;

    @Inject
    SigningKeys keys;

    @Test
    void nobodyButARegisteredClientMayAsk() {
        String user = AuthClient.signedIn().getString("accessToken");
        String service = serviceToken();
        List<Supplier<Response>> strangers = List.of(
                () -> form(given()).formParam("token", user).post(PATH),
                () -> form(given().auth().oauth2(user)).formParam("token", user).post(PATH),
                () -> form(given().auth().oauth2(service)).formParam("token", user).post(PATH),
                () -> form(given().auth().preemptive().basic(CLIENT, "not-the-secret")).formParam("token", user).post(PATH),
                () -> form(given().auth().preemptive().basic("nobody", secret)).formParam("token", user).post(PATH),
                () -> form(given()).formParams(Map.of("client_id", CLIENT, "client_secret", "not-the-secret", "token", user)).post(PATH),
                () -> form(given().auth().preemptive().basic(CLIENT, "")).formParam("token", user).post(PATH));
        String firstBody = null;
        for (Supplier<Response> stranger : strangers) {
            Response answer = stranger.get();
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.header("WWW-Authenticate")).startsWith("Basic");
            assertThat(answer.asString()).doesNotContain("active").doesNotContain(user);
            if (firstBody == null) {
                firstBody = answer.asString();
            }
            // An unknown client, a wrong secret and no credentials at all read the same: no client id is confirmed.
            assertThat(answer.asString()).isEqualTo(firstBody);
        }
    }

    @Test
    void aLiveTokenIsActiveWithWhatItSaysAndNothingMore() {
        JsonPath login = AuthClient.signedIn();
        String token = login.getString("accessToken");
        for (RequestSpecification client : List.of(basic(), post())) {
            JsonPath answer = introspect(client, token).then().statusCode(200).header("Cache-Control", "no-store")
                    .contentType(ContentType.JSON).extract().jsonPath();
            Map<String, Object> claims = claimsOf(token);
            assertThat(answer.getBoolean("active")).isTrue();
            assertThat(answer.getString("iss")).isEqualTo(ForgedTokens.ISSUER).isEqualTo(claims.get("iss"));
            assertThat(answer.getString("sub")).isEqualTo(login.getString("user.id"));
            assertThat(answer.getString("sid")).isEqualTo(login.getString("sessionId"));
            assertThat(answer.getString("jti")).isEqualTo(claims.get("jti"));
            assertThat(answer.getString("aud")).isEqualTo("suite");
            assertThat(answer.getLong("exp")).isEqualTo(((Number) claims.get("exp")).longValue());
            assertThat(answer.getLong("iat")).isEqualTo(((Number) claims.get("iat")).longValue());
            assertThat(answer.getString("token_type")).isEqualTo("Bearer");
            assertThat(answer.getString("typ")).isEqualTo("at+jwt");
            assertThat(answer.getList("groups", String.class)).containsExactly("user");
            assertThat(answer.getMap("").keySet()).doesNotContain("client_id", "email", "roles");
        }
    }

    @Test
    void aLogoutIsSeenAtOnce() {
        String token = AuthClient.signedIn().getString("accessToken");
        introspect(basic(), token).then().statusCode(200).body("active", org.hamcrest.Matchers.equalTo(true));
        given().auth().oauth2(token).post("/logout").then().statusCode(204);
        assertThat(introspect(basic(), token).then().statusCode(200).extract().asString()).isEqualTo("{\"active\":false}");
    }

    /** Every way a token can be dead answers the same bytes: the answer is no oracle for why, nor for what exists. */
    @Test
    void everyDeadTokenReadsTheSame() throws Exception {
        JsonPath login = AuthClient.signedIn();
        String userId = login.getString("user.id");
        String sid = login.getString("sessionId");
        SigningKeys.SigningKey key = keys.current();
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        // The real kid, another key: what someone without the signing key can make.
        SigningKeys.SigningKey stranger = new SigningKeys.SigningKey(key.kid(), generator.generateKeyPair().getPrivate(), null);
        String revokedById = AuthClient.signedIn().getString("accessToken");
        given().auth().oauth2(Admins.token()).contentType(ContentType.JSON)
                .body(Map.of("tokenId", claimsOf(revokedById).get("jti"))).post("/admin/revocations").then().statusCode(204);
        String loggedOut = AuthClient.signedIn().getString("accessToken");
        given().auth().oauth2(loggedOut).post("/logout").then().statusCode(204);

        Map<String, String> dead = new LinkedHashMap<>();
        dead.put("not a token", "abc");
        dead.put("empty", "");
        dead.put("three dots", "a.b.c");
        dead.put("revoked by id", revokedById);
        dead.put("logged out", loggedOut);
        dead.put("expired", ForgedTokens.accessToken(key, userId, sid, Set.of("user"), UUID.randomUUID().toString(),
                Instant.now().minusSeconds(3600)));
        dead.put("other issuer", io.smallrye.jwt.build.Jwt.audience("suite").subject(userId).claim("sid", sid)
                .issuer("https://evil.example").claim("jti", UUID.randomUUID().toString()).issuedAt(Instant.now())
                .claim("nbf", Instant.now().getEpochSecond()).expiresAt(Instant.now().plusSeconds(300)).jws().keyId(key.kid())
                .header("typ", "at+jwt").algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.ES256).sign(key.privateKey()));
        dead.put("signed by another key", ForgedTokens.accessToken(stranger, userId, sid, Set.of("user"), UUID.randomUUID().toString(),
                Instant.now()));
        dead.put("alg none", unsigned(login.getString("accessToken")));
        dead.put("a service token for someone else", serviceToken()); // aud auth-service; the asking client is user-service
        dead.put("a refresh token", login.getString("refreshToken"));
        for (Map.Entry<String, String> token : dead.entrySet()) {
            assertThat(introspect(basic(), token.getValue()).then().statusCode(200).header("Cache-Control", "no-store")
                    .extract().asString()).as(token.getKey()).isEqualTo("{\"active\":false}");
        }
    }

    /** A service token is active for the service it names, with the calling client's id. */
    @Test
    void aServiceTokenIsActiveOnlyForTheServiceItIsFor() {
        String forUserService = io.smallrye.jwt.build.Jwt.audience(CLIENT).subject("gateway").groups(Set.of("service"))
                .issuer(ForgedTokens.ISSUER).claim("jti", UUID.randomUUID().toString()).issuedAt(Instant.now())
                .claim("nbf", Instant.now().getEpochSecond()).expiresAt(Instant.now().plusSeconds(300)).jws()
                .keyId(keys.current().kid()).header("typ", "svc+jwt").algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.ES256)
                .sign(keys.current().privateKey());
        JsonPath answer = introspect(basic(), forUserService).then().statusCode(200).extract().jsonPath();
        assertThat(answer.getBoolean("active")).isTrue();
        assertThat(answer.getString("typ")).isEqualTo("svc+jwt");
        assertThat(answer.getString("client_id")).isEqualTo("gateway");
        assertThat(answer.getString("aud")).isEqualTo(CLIENT);
        assertThat(answer.getString("sid")).isNull();
    }

    @Test
    void aRequestWithoutATokenOrInAnotherShapeIsRefusedClearly() {
        basic().contentType(ContentType.URLENC).post(PATH).then().statusCode(400)
                .contentType("application/problem+json");
        basic().queryParam("token", "abc").get(PATH).then().statusCode(405);
        // JSON is what every other endpoint takes; this one says what it takes instead.
        basic().contentType(ContentType.JSON).body(Map.of("token", "abc")).post(PATH).then().statusCode(415)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("application/x-www-form-urlencoded"));
    }

    private String serviceToken() {
        return given().contentType(ContentType.JSON).body(Map.of("clientId", CLIENT, "clientSecret", secret, "audience", "auth-service"))
                .post("/internal/service-tokens").then().statusCode(200).extract().jsonPath().getString("accessToken");
    }

    private RequestSpecification basic() {
        return given().auth().preemptive().basic(CLIENT, secret);
    }

    /** client_secret_post: the credentials as form fields. */
    private RequestSpecification post() {
        return given().formParam("client_id", CLIENT).formParam("client_secret", secret);
    }

    private static Response introspect(RequestSpecification client, String token) {
        return form(client).formParam("token", token).post(PATH);
    }

    private static RequestSpecification form(RequestSpecification request) {
        return request.contentType(ContentType.URLENC.withCharset(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> claimsOf(String token) {
        return new io.vertx.core.json.JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8)).getMap();
    }

    /** The token's header and claims with alg none and no signature. */
    private static String unsigned(String token) {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + token.split("\\.")[1] + ".";
    }
}
