package dev.suite.gateway;

import static dev.suite.gateway.GatewayClient.https;

import java.util.Collections;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Cookies are parsed (twice: the duplicate check and Vert.x's cookie jar) before anything bounds them but the 20K
 * header limit, which thousands of tiny cookies fit in. A request under /api with more than 100 cookies is refused
 * with 431 before any of them is parsed, however many Cookie headers carry them.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class OversizedCookieHeaderTest {

    @Test
    void thousandsOfTinyCookiesAre431() {
        GatewayClient ivy = GatewayClient.signedIn("Ivy");
        String flood = String.join("; ", Collections.nCopies(1_200, "c=1"));
        https().header("Cookie", flood + "; __Host-access=" + ivy.jar.get("__Host-access")).get("/api/users/me")
                .then().statusCode(431).contentType("application/problem+json");
    }

    @Test
    void tinyCookiesSpreadOverSeveralCookieHeadersAre431Too() {
        GatewayClient ivy = GatewayClient.signedIn("Ivy");
        String half = String.join("; ", Collections.nCopies(60, "c=1"));
        https().header("Cookie", half).header("Cookie", half).header("Cookie", "__Host-access=" + ivy.jar.get("__Host-access"))
                .get("/api/users/me").then().statusCode(431).contentType("application/problem+json");
    }

    @Test
    void theControlAnOrdinaryBrowserWithSomeForeignCookiesIsServed() {
        GatewayClient ivy = GatewayClient.signedIn("Ivy");
        String foreign = String.join("; ", Collections.nCopies(40, "analytics=" + "a".repeat(60)));
        ivy.browser().header("Cookie", foreign).get("/api/users/me").then().statusCode(200);
    }
}
