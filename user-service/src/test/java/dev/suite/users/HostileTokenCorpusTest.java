package dev.suite.users;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.fixtures.TestServices;
import dev.suite.tokenguard.HostileTokens;
import dev.suite.tokenguard.TokenFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The hostile-token corpus against the user service called directly, each attack made from a token signed
 * with the auth service's real (dev) signing key and kid, so only the one broken property can cause the 401.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class HostileTokenCorpusTest {

    static List<HostileTokens.Attack> attacks() {
        return new HostileTokens(realKeyFactory()).all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void hostileTokenIsRefused(HostileTokens.Attack attack) {
        given().header("Authorization", "Bearer " + attack.token().get()).get("/users/me")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aTokenFromTheSameFactoryWithNothingBrokenIsAccepted() {
        TokenFactory factory = realKeyFactory();
        given().auth().oauth2(factory.sign(factory.userClaims())).get("/users/me").then().statusCode(200)
                .body("locale", equalTo("en"));
    }

    /** Tokens signed with the auth service's real dev key and kid, of its issuer (its URL). */
    static TokenFactory realKeyFactory() {
        String jwks = io.restassured.RestAssured.given().baseUri(Accounts.authUrl()).get("/.well-known/jwks.json").asString();
        return TokenFactory.withRealKey(jwks,
                java.nio.file.Path.of(ConfigProvider.getConfig().getValue("suite.jwt.signing-key-file", String.class)), Accounts.authUrl(),
                "user-service");
    }

}
