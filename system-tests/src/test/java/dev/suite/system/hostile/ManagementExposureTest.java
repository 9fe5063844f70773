package dev.suite.system.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.suite.system.support.Answer;
import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;

/**
 * The attack of the outside review: read the metrics, the API description and the health details from a port that
 * serves the API (the gateway's, which the Ingress routes in full, or a service's, which other pods reach). The
 * packaged jars, started together: every API port answers 404; only each service's management port serves them.
 */
class ManagementExposureTest {

    static final List<String> MANAGEMENT_PATHS = List.of("/q/metrics", "/q/openapi", "/q/health", "/q/health/ready",
            "/q/health/live");

    private final RunningSuite suite = RunningSuite.shared();

    @Test
    void noApiPortServesAManagementEndpoint() {
        for (String path : MANAGEMENT_PATHS) {
            Answer https = Http.get(suite.gatewayUrl() + path);
            assertThat(https.status()).as("gateway HTTPS %s -> %s", path, https).isEqualTo(404);
            assertThat(https.isProblem()).as("gateway HTTPS %s -> %s", path, https).isTrue();
            assertNoManagementContent(path, https);

            // Plain HTTP redirects everything (make run, tests) or answers itself (Kubernetes): never the endpoint.
            Answer http = Http.get("http://localhost:" + suite.port(RunningSuite.GATEWAY) + path);
            assertThat(http.status()).as("gateway HTTP %s -> %s", path, http).isIn(308, 404);
            assertNoManagementContent(path, http);

            for (String base : List.of(suite.authUrl(), suite.userUrl())) {
                Answer direct = Http.get(base + path);
                assertThat(direct.status()).as("%s%s -> %s", base, path, direct).isEqualTo(404);
                assertNoManagementContent(path, direct);
            }
        }
    }

    @Test
    void eachManagementPortServesHealthMetricsAndOpenApi() {
        for (String module : List.of(RunningSuite.AUTH, RunningSuite.USERS, RunningSuite.GATEWAY)) {
            String management = suite.managementUrl(module);
            HttpResponse<String> live = operatorGet(management + "/q/health/live");
            assertThat(live.statusCode()).as("%s live", module).isEqualTo(200);
            assertThat(live.body()).contains("\"status\": \"UP\"");
            // Readiness may be DOWN for a moment while the pools reconnect after a fault test of this JVM.
            HttpResponse<String> ready = operatorGet(management + "/q/health/ready");
            assertThat(ready.statusCode()).as("%s ready", module).isIn(200, 503);
            assertThat(ready.body()).contains("\"checks\"");
            HttpResponse<String> metrics = operatorGet(management + "/q/metrics");
            assertThat(metrics.statusCode()).as("%s metrics", module).isEqualTo(200);
            assertThat(metrics.body()).contains("# TYPE");
            HttpResponse<String> openapi = operatorGet(management + "/q/openapi");
            assertThat(openapi.statusCode()).as("%s openapi", module).isEqualTo(200);
            assertThat(openapi.body()).contains("openapi:");
        }
    }

    /**
     * Issue 17, item 7: the management port speaks TLS only, so metrics and health cross no network readable or
     * forgeable. A plain-HTTP scrape gets its connection closed or an error, never an endpoint's content.
     */
    @Test
    void theManagementPortHasNoPlaintext() {
        for (String module : List.of(RunningSuite.AUTH, RunningSuite.USERS, RunningSuite.GATEWAY)) {
            assertThat(suite.managementUrl(module)).startsWith("https://");
            String plain = suite.managementUrl(module).replaceFirst("^https:", "http:");
            for (String path : MANAGEMENT_PATHS) {
                Answer answer;
                try {
                    answer = Http.get(plain + path);
                } catch (UncheckedIOException closed) {
                    continue; // the TLS port closed the connection on a plaintext request: nothing served
                }
                assertThat(answer.status()).as("%s plain HTTP %s -> %s", module, path, answer).isNotEqualTo(200);
                assertNoManagementContent(path, answer);
            }
        }
    }

    /**
     * What an operator or Prometheus reads, kept out of {@link Http#seen()}: metrics name exception classes in their
     * tags, which LeakScanTest rightly refuses in any answer a client gets.
     */
    private static HttpResponse<String> operatorGet(String url) {
        try {
            return Http.client().send(HttpRequest.newBuilder(URI.create(url)).timeout(Http.TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertNoManagementContent(String path, Answer answer) {
        assertThat(answer.body()).as("%s -> %s", path, answer)
                .doesNotContain("# TYPE").doesNotContain("openapi:").doesNotContain("\"checks\"").doesNotContain("\"UP\"");
    }
}
