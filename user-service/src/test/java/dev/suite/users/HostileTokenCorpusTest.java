package dev.suite.users;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.localstack.AuthServiceProcess;
import dev.suite.tokenguard.HostileTokens;
import dev.suite.tokenguard.TokenFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The hostile-token corpus against the user service called directly, each attack made from a token signed
 * with the auth service's real (dev) signing key and kid, so only the one broken property can cause the 401.
 */
@QuarkusTest
@QuarkusTestResource(AuthServiceProcess.class)
class HostileTokenCorpusTest {

    static List<HostileTokens.Attack> attacks() throws Exception {
        return new HostileTokens(realKeyFactory()).all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void hostileTokenIsRefused(HostileTokens.Attack attack) {
        given().header("Authorization", "Bearer " + attack.token().get()).get("/users/me")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aTokenFromTheSameFactoryWithNothingBrokenIsAccepted() throws Exception {
        TokenFactory factory = realKeyFactory();
        given().auth().oauth2(factory.sign(factory.userClaims())).get("/users/me").then().statusCode(200)
                .body("locale", equalTo("en"));
    }

    /** The auth service's published key (for the kid) joined with its private half from the local secrets. */
    static TokenFactory realKeyFactory() throws Exception {
        String jwks = given().baseUri(Accounts.authUrl()).get("/.well-known/jwks.json").asString();
        PublicJsonWebKey key = (PublicJsonWebKey) new JsonWebKeySet(jwks).getJsonWebKeys().get(0);
        String pem = Files.readString(Path.of(ConfigProvider.getConfig().getValue("suite.jwt.signing-key-file", String.class)));
        StringBuilder base64 = new StringBuilder();
        for (String line : pem.split("\\R")) {
            if (!line.startsWith("-----")) {
                base64.append(line.strip());
            }
        }
        key.setPrivateKey(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64.toString()))));
        return new TokenFactory(key, "https://auth.suite.local", "suite", "user-service");
    }

}
