package dev.suite.gateway.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import dev.suite.launcher.SuiteTopology;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * One request, one trace, across the gateway and the real services behind it: what the auth service logged for a
 * login through the gateway carries the trace id the client sent, under a span of the gateway's own (not the client's
 * span as parent), and an account deletion (gateway, user service, auth service) stays in one trace over both hops.
 * Read from the services' JSON log records, where on-call joins them.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class TracePropagationTest {

    static final String BASE = "https://localhost:18443";
    static final String PASSWORD = "amber-kestrel-orchard-19";

    @Test
    void theAuthServiceLogsTheClientsTraceUnderTheGatewaysSpan() {
        Browser alice = Browser.registered();
        Traceparent sent = Traceparent.random("01");
        alice.login(sent);

        JsonObject mdc = ServiceLog.auditRecord(SuiteTopology.AUTH, "LOGIN_SUCCEEDED", "traceId", sent.traceId());
        assertThat(mdc.getString("sampled")).isEqualTo("true");
        assertThat(mdc.getString("parentId")).as("the gateway's own span is the parent, not the client's")
                .isNotEqualTo(sent.spanId()).matches("[0-9a-f]{16}");
    }

    @Test
    void withoutATraceparentTheGatewayStartsTheTraceTheServicesJoin() {
        Browser bob = Browser.registered();
        String account = bob.login(null).path("user.id");
        // The trace id is the gateway's own: the login's audit record is found by its account.
        JsonObject mdc = ServiceLog.auditRecord(SuiteTopology.AUTH, "LOGIN_SUCCEEDED", "audit.account", account);
        assertThat(mdc.getString("traceId")).matches("[0-9a-f]{32}");
        assertThat(mdc.getString("parentId")).matches("[0-9a-f]{16}");
    }

    @Test
    void anAccountDeletionIsOneTraceThroughTheUserServiceToTheAuthService() {
        Browser carol = Browser.registered();
        carol.login(null);
        Traceparent sent = Traceparent.random("01");
        carol.spec().header("traceparent", sent.header()).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", PASSWORD)).delete("/api/users/me").then().statusCode(204);

        JsonObject mdc = ServiceLog.auditRecord(SuiteTopology.AUTH, "ACCOUNT_DELETED", "traceId", sent.traceId());
        assertThat(mdc.getString("sampled")).isEqualTo("true");
        assertThat(mdc.getString("parentId")).isNotEqualTo(sent.spanId()).matches("[0-9a-f]{16}");
    }

    /** A browser's session at the gateway: its cookies and CSRF token, and the account it registered. */
    static final class Browser {
        final Map<String, String> jar = new java.util.HashMap<>();
        final String email = "trace-" + UUID.randomUUID() + "@example.com";

        static Browser registered() {
            Browser browser = new Browser();
            browser.remember(browser.spec().get("/api/auth/csrf"));
            browser.remember(browser.spec().contentType(ContentType.JSON)
                    .body(Map.of("email", browser.email, "password", PASSWORD, "displayName", "Trace")).post("/api/auth/register"))
                    .then().statusCode(202);
            return browser;
        }

        RequestSpecification spec() {
            RequestSpecification spec = given().baseUri(BASE).relaxedHTTPSValidation().redirects().follow(false).cookies(jar);
            String csrf = jar.get("__Host-csrf");
            return csrf == null ? spec : spec.header("X-CSRF-Token", csrf);
        }

        Response login(Traceparent traceparent) {
            RequestSpecification spec = spec();
            if (traceparent != null) {
                spec.header("traceparent", traceparent.header());
            }
            Response login = remember(spec.contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                    .post("/api/auth/login"));
            login.then().statusCode(200);
            return login;
        }

        Response remember(Response response) {
            response.getDetailedCookies().asList().forEach(cookie -> jar.put(cookie.getName(), cookie.getValue()));
            return response;
        }
    }

    /** A W3C traceparent header as a client writes it. */
    record Traceparent(String traceId, String spanId, String flags) {
        static Traceparent random(String flags) {
            String hex = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
            return new Traceparent(hex.substring(0, 32), hex.substring(32, 48), flags);
        }

        String header() {
            return "00-" + traceId + "-" + spanId + "-" + flags;
        }
    }
}
