package dev.suite.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issuer metadata (RFC 8414 and OpenID Connect Discovery): the issuer is the service's own URL, so a client given
 * only that URL finds everything else; both documents say the same, and every URL in them lies under the issuer.
 * (The service runs at its issuer URL in every test of this module: {@link OwnIssuerUrl}.)
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class IssuerMetadataTest {

    @ConfigProperty(name = "token-guard.issuer")
    String issuer;

    @Test
    void theIssuerIsThisServicesOwnUrlAndItsDocumentsNameTheEndpoints() {
        JsonPath openid = given().get(issuer + "/.well-known/openid-configuration").then().statusCode(200)
                .contentType("application/json").header("Cache-Control", "public, max-age=300").extract().jsonPath();
        JsonPath oauth = given().get(issuer + "/.well-known/oauth-authorization-server").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        assertThat(oauth.getMap("")).isEqualTo(openid.getMap(""));
        assertThat(openid.getString("issuer")).isEqualTo(issuer).startsWith("http://localhost:");
        assertThat(openid.getString("jwks_uri")).isEqualTo(issuer + "/.well-known/jwks.json");
        assertThat(openid.getString("introspection_endpoint")).isEqualTo(issuer + "/oauth2/introspect");
        assertThat(openid.getList("introspection_endpoint_auth_methods_supported", String.class))
                .containsExactlyInAnyOrder("client_secret_basic", "client_secret_post");
        assertThat(openid.getList("id_token_signing_alg_values_supported", String.class)).containsExactly("ES256");
        assertThat(openid.getList("subject_types_supported", String.class)).containsExactly("public");
        assertThat(openid.getList("response_types_supported", String.class)).isEmpty();
        assertThat(openid.getList("claims_supported", String.class))
                .contains("iss", "aud", "sub", "sid", "jti", "exp", "iat", "nbf", "groups", "name");
        assertThat(openid.getMap("").keySet()).doesNotContain("authorization_endpoint", "token_endpoint", "userinfo_endpoint");
    }

    /** What a standard client does with the issuer alone: discovery, then the JWKS it names, then the token's claims. */
    @Test
    void aTokenVerifiesWithNothingButTheIssuer() throws Exception {
        String token = AuthClient.signedIn().getString("accessToken");
        String jwksUri = given().get(issuer + "/.well-known/openid-configuration").then().statusCode(200).extract().path("jwks_uri");
        var claims = new JwtConsumerBuilder().setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(jwksUri)))
                .setExpectedIssuer(issuer).setExpectedAudience("suite").setRequireExpirationTime().build().processToClaims(token);
        assertThat(claims.getIssuer()).isEqualTo(issuer);
        assertThat(claims.getAudience()).isEqualTo(List.of("suite"));
    }
}
