package dev.suite.gateway;

import static dev.suite.gateway.GatewayClient.https;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.net.URL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The attack: anyone on the internet reads the metrics (request counts per route, pool sizes), the API description
 * or the health details through the gateway, whose every path the Ingress routes. They live on the management port
 * only, which the Ingress never routes and NetworkPolicies open to the monitoring namespace alone.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class ManagementPortTest {

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "openapi", management = true)
    URL openapi;

    @ParameterizedTest
    @ValueSource(strings = { "/q/metrics", "/q/openapi", "/q/health", "/q/health/ready", "/q/health/live" })
    void httpsAnswersAProblemNotFound(String path) {
        https().get(path).then().statusCode(404).contentType("application/problem+json")
                .body(not(containsString("# TYPE")), not(containsString("openapi:")), not(containsString("\"UP\"")));
    }

    /** Plain HTTP redirects everything to HTTPS (make run, tests), which has nothing there either. */
    @ParameterizedTest
    @ValueSource(strings = { "/q/metrics", "/q/openapi", "/q/health", "/q/health/ready", "/q/health/live" })
    void plainHttpRedirectsToANotFound(String path) {
        String location = given().redirects().follow(false).get(path).then().statusCode(308)
                .body(not(containsString("# TYPE")), not(containsString("openapi:")), not(containsString("\"UP\"")))
                .extract().header("Location");
        https().get(location).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theManagementPortServesHealthMetricsAndOpenApi() {
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
        given().get(metrics).then().statusCode(200).body(containsString("# TYPE"));
        given().get(openapi).then().statusCode(200).body(containsString("openapi"));
    }
}
