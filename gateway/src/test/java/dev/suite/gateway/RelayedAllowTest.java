package dev.suite.gateway;

import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Found by Schemathesis (system-tests OpenApiFuzzTest): the gateway forwards /api/users/* whatever the method, and
 * relayed the user service's 405 without its Allow header, which RFC 9110 requires on every 405.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class RelayedAllowTest {

    @Test
    void aMethodTheUserServiceDoesNotTakeIsA405ThatNamesTheMethods() {
        GatewayClient alice = GatewayClient.signedIn("Alice");
        alice.browser().put("/api/users/me").then().statusCode(405).contentType("application/problem+json")
                .header("Allow", equalTo("DELETE, GET, HEAD, OPTIONS, PATCH"));
        alice.browser().post("/api/users/1234").then().statusCode(405).header("Allow", equalTo("GET, HEAD, OPTIONS"));
    }
}
