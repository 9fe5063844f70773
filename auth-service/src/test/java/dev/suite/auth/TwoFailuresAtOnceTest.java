package dev.suite.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import dev.suite.problem.Problem;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * Found by GracefulShutdownTest (system-tests) on a busy machine: a login the hashing pool refused (429, the account's
 * share in use) whose give-back of the guess then timed out against Redis (503) reached the client as a 500 "Unexpected
 * error": Mutiny reports a failure whose onFailure().call(...) fails too as one CompositeException, which no mapper
 * knew. The request's own failure is the answer, whatever the clean-up did. The resource below fails exactly as
 * PasswordCheck's chain did (it lives in the tests only).
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class TwoFailuresAtOnceTest {

    @Path("/test-only/two-failures")
    public static class TwoFailures {

        @POST
        public Uni<String> fail() {
            return Uni.createFrom().<String>failure(Problem.tooManyRequests(1))
                    .onFailure().call(() -> Uni.createFrom().failure(Problem.unavailable("Sign-in is unavailable right now.")));
        }
    }

    @Test
    void theRequestsOwnFailureIsTheAnswerNotA500() {
        given().post("/test-only/two-failures").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", equalTo("1")).body("status", equalTo(429));
    }
}
