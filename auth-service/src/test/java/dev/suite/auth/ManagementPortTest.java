package dev.suite.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.net.URL;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The attack: another pod (or anything that reaches the API port) reads the metrics, the API description or the
 * health details. They live on the management port only, which Kubernetes opens to probes and monitoring alone.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class ManagementPortTest {

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "openapi", management = true)
    URL openapi;

    @ParameterizedTest
    @ValueSource(strings = { "/q/metrics", "/q/openapi", "/q/health", "/q/health/ready", "/q/health/live" })
    void theApiPortServesNoManagementEndpoint(String path) {
        given().get(path).then().statusCode(404)
                .body(not(containsString("# TYPE")), not(containsString("openapi:")), not(containsString("\"UP\"")));
    }

    @Test
    void theManagementPortServesHealthMetricsAndOpenApi() {
        given().get(ready).then().statusCode(200).body("status", equalTo("UP"));
        given().get(metrics).then().statusCode(200).body(containsString("# TYPE"));
        given().get(openapi).then().statusCode(200).body(containsString("/login"));
    }
}
