package dev.suite.users;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;
import java.util.UUID;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import dev.suite.tokenguard.TokenFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Another service reads a user's card with a service token of its own: the name and language, nothing private.
 * The tokens are signed with the auth service's real dev key, as the auth service signs those it issues to a client
 * registered with the audience user-service (the system test ConsumerExampleTest gets a real one).
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class ProfileCardTest {

    @Test
    void aServiceTokenForThisServiceReadsTheCardAndNothingPrivate() {
        JsonPath erin = Accounts.newUser("Erin");
        ProfileOwnershipTest.patch(erin, Map.of("privateNotes", "erin's secret", "bio", "erin's bio")).then().statusCode(200);

        given().auth().oauth2(serviceToken("user-service")).get("/internal/profiles/" + erin.getString("user.id"))
                .then().statusCode(200)
                .body("id", equalTo(erin.getString("user.id")))
                .body("displayName", equalTo("Erin"))
                .body("locale", equalTo("en"))
                .body(not(containsString("erin's secret")))
                .body(not(containsString("erin's bio")));
    }

    @Test
    void aServiceTokenIsNoUserHereAndAUserTokenIsNoService() {
        JsonPath frank = Accounts.newUser("Frank");
        given().auth().oauth2(frank.getString("accessToken")).get("/users/me").then().statusCode(200);

        given().auth().oauth2(serviceToken("user-service")).get("/users/me").then().statusCode(403);
        given().auth().oauth2(frank.getString("accessToken")).get("/internal/profiles/" + frank.getString("user.id"))
                .then().statusCode(403);
    }

    @Test
    void aServiceTokenForAnotherAudienceIsRefused() {
        JsonPath grace = Accounts.newUser("Grace");
        given().auth().oauth2(grace.getString("accessToken")).get("/users/me").then().statusCode(200);

        given().auth().oauth2(serviceToken("auth-service")).get("/internal/profiles/" + grace.getString("user.id"))
                .then().statusCode(401);
        given().auth().oauth2(Accounts.serviceToken("auth-service")).get("/internal/profiles/" + grace.getString("user.id"))
                .then().statusCode(401);
    }

    @Test
    void aUserWithoutProfileOrAnIdThatIsNoneIsNotFound() {
        given().auth().oauth2(serviceToken("user-service")).get("/internal/profiles/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(serviceToken("user-service")).get("/internal/profiles/not-an-id")
                .then().statusCode(404).contentType("application/problem+json");
    }

    /** A service token as the auth service issues one to client "greeter": typ svc+jwt, the callee as aud, group service. */
    private static String serviceToken(String audience) {
        TokenFactory tokens = HostileTokenCorpusTest.realKeyFactory();
        JwtClaims claims = tokens.userClaims();
        claims.setSubject("greeter");
        claims.setAudience(audience);
        claims.unsetClaim("sid");
        claims.setStringListClaim("groups", "service");
        return tokens.sign(claims, tokens.key(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "svc+jwt");
    }
}
