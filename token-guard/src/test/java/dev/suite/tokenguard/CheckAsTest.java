package dev.suite.tokenguard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * {@link TokenGuard#checkAs}: the auth service answers introspection for each registered client as that client's own
 * token-guard would, so a client learns nothing about tokens meant for somebody else.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class CheckAsTest {

    @Inject
    TokenGuard guard;

    @Inject
    RevocationStore revocations;

    @Test
    void aServiceTokenPassesOnlyForTheServiceItNames() {
        String forOther = TestKeys.sign(serviceClaims("other-service"), TestKeys.SIGNING, "ES256", "svc+jwt");
        assertThat(check(() -> guard.checkAs(forOther, "other-service")).subject()).isEqualTo("caller-service");
        assertThatThrownBy(() -> check(() -> guard.check(forOther))).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> check(() -> guard.checkAs(forOther, "third-service"))).isInstanceOf(AuthenticationFailedException.class);
        // Verified for someone else, not remembered as verified here: the own check still refuses it.
        assertThatThrownBy(() -> check(() -> guard.check(forOther))).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void aUserTokenPassesForAnyServiceUntilItIsRevoked() throws MalformedClaimException {
        JwtClaims claims = TestKeys.userClaims();
        String token = TestKeys.sign(claims);
        assertThat(check(() -> guard.checkAs(token, "other-service")).sessionId()).isEqualTo(claims.getStringClaimValue("sid"));
        revocations.revokeSession(claims.getStringClaimValue("sid")).await().atMost(Duration.ofSeconds(5));
        assertThatThrownBy(() -> check(() -> guard.checkAs(token, "other-service"))).isInstanceOf(AuthenticationFailedException.class);
    }

    /** Basic carries a client's id and secret, never a token: token-guard leaves it alone, and protected paths still say 401. */
    @Test
    void aBasicAuthorizationHeaderIsNoTokenAndNoFailedAttempt() {
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/probe/public").then().statusCode(200);
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/probe").then().statusCode(401);
        given().header("Authorization", "Digest username=x").get("/probe/public").then().statusCode(401);
    }

    private static JwtClaims serviceClaims(String audience) {
        JwtClaims claims = TestKeys.userClaims();
        claims.unsetClaim("sid");
        claims.setSubject("caller-service");
        claims.setAudience(audience);
        claims.setStringListClaim("groups", "service");
        return claims;
    }

    private static VerifiedToken check(java.util.function.Supplier<io.smallrye.mutiny.Uni<VerifiedToken>> check) {
        return check.get().await().atMost(Duration.ofSeconds(5));
    }
}
