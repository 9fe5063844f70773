package dev.suite.gateway.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import dev.suite.launcher.SuiteTopology;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;

/**
 * One request, one trace, across the gateway and the real services behind it: what the auth service logged for a
 * login through the gateway carries the trace id the client sent, under a span of the gateway's own (not the client's
 * span as parent), and an account deletion (gateway, user service, auth service) stays in one trace over both hops.
 * Read from the services' JSON log records, where on-call joins them.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class TracePropagationTest {

    @Inject
    OpenTelemetry openTelemetry;

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
    void aClientsUnsampledFlagDoesNotDecideEither() {
        Browser dave = Browser.registered();
        Traceparent sent = Traceparent.random("00");
        dave.login(sent);
        // %test traces every request (suite.tracing.ratio=1.0): the gateway's decision, not the client's, reaches the service.
        JsonObject mdc = ServiceLog.auditRecord(SuiteTopology.AUTH, "LOGIN_SUCCEEDED", "traceId", sent.traceId());
        assertThat(mdc.getString("sampled")).isEqualTo("true");
    }

    /**
     * The gateway's own OpenTelemetry, as wired: a client's tracestate and baggage are not carried to the services
     * (only traceparent crosses), whatever else the client sends.
     */
    @Test
    void onlyTheGatewaysTraceparentCrossesToTheServices() {
        TextMapPropagator propagator = openTelemetry.getPropagators().getTextMapPropagator();
        assertThat(propagator.fields()).containsExactlyInAnyOrder("traceparent", "tracestate");
        Traceparent sent = Traceparent.random("01");
        Map<String, String> fromClient = Map.of("traceparent", sent.header(), "tracestate", "vendor=smuggled",
                "baggage", "role=admin", "x-internal", "yes");
        Context extracted = propagator.extract(Context.root(), fromClient, new TextMapGetter<Map<String, String>>() {
            @Override
            public Iterable<String> keys(Map<String, String> carrier) {
                return carrier.keySet();
            }

            @Override
            public String get(Map<String, String> carrier, String key) {
                return carrier == null ? null : carrier.get(key);
            }
        });
        Tracer tracer = openTelemetry.getTracer("test");
        Span server = tracer.spanBuilder("POST /api/auth/login").setSpanKind(SpanKind.SERVER).setParent(extracted).startSpan();
        Span call = tracer.spanBuilder("POST").setSpanKind(SpanKind.CLIENT).setParent(Context.root().with(server)).startSpan();
        Map<String, String> forwarded = new HashMap<>();
        propagator.inject(Context.root().with(call), forwarded, Map::put);
        call.end();
        server.end();
        assertThat(forwarded).containsOnlyKeys("traceparent");
        assertThat(forwarded.get("traceparent")).startsWith("00-" + sent.traceId() + "-").doesNotContain(sent.spanId());
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
        final Map<String, String> jar = new HashMap<>();
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
