package dev.suite.tokenguard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** DESIGN.md invariant 1: every one of these named attacks gets a 401 and a body that says nothing about why. */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class HostileTokenTest {

    static List<HostileTokens.Attack> attacks() {
        return new HostileTokens(TestKeys.FACTORY).all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void hostileTokenIsRefused(HostileTokens.Attack attack) {
        String value = attack.token().get();
        given().header("Authorization", "Bearer " + value)
                .when().get("/probe")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body(not(containsString(value.isEmpty() ? "\u0000" : value)));
    }

    @Test
    void theCorpusHasAtLeastThirtyAttacks() {
        assertThat(attacks()).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void tokensWithinTheClockSkewAreAccepted() {
        // 30 s skew: expired 10 s ago, or valid only from 10 s from now, still passes; 31 s is in the corpus above.
        org.jose4j.jwt.JwtClaims justExpired = TestKeys.userClaims();
        justExpired.setIssuedAt(HostileTokens.ago(200));
        justExpired.setNotBefore(HostileTokens.ago(200));
        justExpired.setExpirationTime(HostileTokens.ago(10));
        org.jose4j.jwt.JwtClaims almostValid = TestKeys.userClaims();
        almostValid.setNotBefore(HostileTokens.ago(-10));
        given().header("Authorization", "Bearer " + TestKeys.sign(justExpired)).when().get("/probe").then().statusCode(200);
        given().header("Authorization", "Bearer " + TestKeys.sign(almostValid)).when().get("/probe").then().statusCode(200);
    }

    @Test
    void theSameBuilderMakesAnAcceptedToken() {
        // The control: without the one change each attack makes, the token passes.
        given().header("Authorization", "Bearer " + TestKeys.sign(TestKeys.userClaims()))
                .when().get("/probe").then().statusCode(200).body("typ", equalTo("at+jwt"));
    }
}
