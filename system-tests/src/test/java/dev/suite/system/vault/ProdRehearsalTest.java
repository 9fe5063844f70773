package dev.suite.system.vault;

import static dev.suite.system.support.Browser.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.suite.launcher.ServiceProcess;
import dev.suite.launcher.SuiteProcesses;
import dev.suite.launcher.SuiteTopology;
import dev.suite.launcher.Tuning;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.SuiteRoot;
import dev.suite.system.support.Answer;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Http;
import io.vertx.core.json.JsonObject;

/**
 * {@code make run-prod} as a test: the three packaged services in %prod against the stack's real OpenBao
 * ({@link SuiteTopology#inProd}), the migration Jobs first, each process told only addresses (every secret, database
 * users included, comes from Vault), and a user's whole session through the gateway as the Ingress would forward it.
 */
class ProdRehearsalTest {

    private static SuiteProcesses services;
    private static SuiteTopology topology;
    private static Path logFile;
    /** Where this run's lines start in the log file (it is appended to across runs). */
    private static long logStart;

    @BeforeAll
    static void startTheSuiteInProd() throws IOException {
        LocalStack stack = LocalStack.shared();
        logFile = SuiteRoot.find().resolve("system-tests/target/prod-rehearsal.log");
        Files.createDirectories(logFile.getParent());
        logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
        PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, "UTF-8");
        topology = SuiteTopology.onFreePorts().tuned(Tuning.FAST_HASHING, Tuning.ONE_CLIENT_ADDRESS, Tuning.PATIENT).inProd(stack.vault());
        services = new SuiteProcesses(stack, topology, name -> log);
        services.migrate();
        topology.instances().forEach(instance -> services.launch(instance.name()));
        services.running().forEach(ServiceProcess::awaitReady);
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void eachProcessIsToldAddressesOnlyAndNoSecret() {
        for (SuiteTopology.Instance instance : topology.instances()) {
            // The TLS files stand for the certificate secret Kubernetes mounts into the pod (no Vault secret): their paths only.
            assertThat(topology.stackSettings(instance.name(), LocalStack.shared().properties()).keySet())
                    .as(instance.name()).filteredOn(key -> !SuiteTopology.PROD_MOUNTED_FILES.contains(key)).isNotEmpty().allSatisfy(key -> assertThat(key).doesNotContain("password").doesNotContain("secret")
                            .doesNotContain("key-file").doesNotContain("csrf"));
        }
    }

    @Test
    void aUsersWholeSessionWorksThroughTheGatewayWithEverySecretFromVault() {
        String gateway = topology.instance(SuiteTopology.GATEWAY).url();
        Browser browser = Browser.signUp(Browser.behindIngress(gateway), "prod");
        JsonObject me = expect(browser.me(), 200).json();
        assertThat(me.getString("displayName")).isEqualTo("Tester prod");

        expect(browser.patchMe(new JsonObject().put("displayName", "Rehearsed")), 200);
        assertThat(expect(browser.me(), 200).json().getString("displayName")).isEqualTo("Rehearsed");

        String access = browser.cookie(Browser.ACCESS);
        expect(browser.refresh(), 200);
        assertThat(browser.cookie(Browser.ACCESS)).as("a new access token").isNotEqualTo(access);

        String live = browser.cookie(Browser.ACCESS);
        expect(browser.logout(), 204);
        Answer replayed = Http.send("GET", gateway + "/api/users/me",
                Map.of("Cookie", Browser.ACCESS + "=" + live, "X-Forwarded-Proto", "https"), (String) null);
        assertThat(replayed.status()).as("the access token of the ended session, replayed").isEqualTo(401);
    }

    /**
     * The SPA as the gateway's image ships it (issue 18, item 1): %prod serves it at / from gateway.spa-dir (the image's
     * /work/spa; here make spa's build, which is what the image's Node stage runs), its assets and its client-side routes,
     * each with the security headers of every answer.
     */
    @Test
    void theSpaIsServedAtTheRootWithTheSecurityHeaders() {
        String gateway = topology.instance(SuiteTopology.GATEWAY).url();
        Map<String, String> viaIngress = Map.of("X-Forwarded-Proto", "https");
        Answer index = Http.send("GET", gateway + "/", viaIngress, (String) null);
        assertThat(index.status()).as(index.toString()).isEqualTo(200);
        assertThat(index.contentType()).startsWith("text/html");
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index.body());
        assertThat(script.find()).as("index.html names its script").isTrue();
        Answer asset = Http.send("GET", gateway + script.group(1), viaIngress, (String) null);
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.contentType()).contains("javascript");
        Answer clientRoute = Http.send("GET", gateway + "/profile", viaIngress, (String) null);
        assertThat(clientRoute.status()).isEqualTo(200);
        assertThat(clientRoute.body()).isEqualTo(index.body());
        for (Answer answer : java.util.List.of(index, asset, clientRoute)) {
            assertThat(answer.header("Content-Security-Policy")).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains("default-src 'self'").contains("frame-ancestors 'none'");
            assertThat(answer.header("X-Content-Type-Options")).contains("nosniff");
            assertThat(answer.header("X-Frame-Options")).contains("DENY");
            assertThat(answer.header("Strict-Transport-Security")).isPresent();
            assertThat(answer.header("Referrer-Policy")).contains("no-referrer");
        }
    }

    /**
     * The alerts on-call gets (deploy/k8s/monitoring/alerts.yaml, issue 18, item 9) watch metrics the services really
     * export in %prod: an alert on a name nothing exports would never fire. After a session's traffic, every metric
     * an alert's expression names is in some service's /q/metrics (up, Prometheus's own, and cert-manager's
     * certmanager_*, its controller's, aside).
     */
    @Test
    void everyMetricAnAlertWatchesIsExported() throws IOException {
        String gateway = topology.instance(SuiteTopology.GATEWAY).url();
        Browser browser = Browser.signUp(Browser.behindIngress(gateway), "metrics");
        expect(browser.me(), 200);
        StringBuilder exported = new StringBuilder();
        for (SuiteTopology.Instance instance : topology.instances()) {
            exported.append(expect(Http.get(instance.managementUrl() + "/q/metrics"), 200).body()).append('\n');
        }
        String alerts = Files.readString(SuiteRoot.find().resolve("deploy/k8s/monitoring/alerts.yaml"));
        java.util.Set<String> watched = new java.util.TreeSet<>();
        java.util.regex.Matcher expr = java.util.regex.Pattern.compile("(?m)^\\s*expr:\\s*(\\|\\s*\\n((?:\\s{12,}.*\\n?)+)|(.+))").matcher(alerts);
        while (expr.find()) {
            String promql = expr.group(2) != null ? expr.group(2) : expr.group(3);
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("\\b([a-z_][a-z0-9_]*)\\s*(?=[{\\[])").matcher(promql);
            while (name.find()) {
                watched.add(name.group(1));
            }
        }
        watched.remove("up");
        watched.removeIf(metric -> metric.startsWith("certmanager_"));
        assertThat(watched).as("metrics the alerts watch").contains("http_server_requests_seconds_count",
                "suite_vault_credentials_failures_total", "suite_login_locked_refusals_total");
        assertThat(watched).allSatisfy(metric -> assertThat(exported.toString())
                .as(metric + " exported by a service").containsPattern("(?m)^" + metric + "[{ ]"));
    }

    /**
     * %prod logs as a log pipeline reads them (issue 18, item 9): every line of every service and migration Job is one
     * JSON object with its date and level, and an audit event's fields are fields of its line, not only text; one
     * written while serving a request carries that request's trace ids (joined across services by traceId).
     */
    @Test
    void everyLineIsOneJsonObjectAndAuditEventsAreStructured() throws IOException {
        Browser.signUp(Browser.behindIngress(topology.instance(SuiteTopology.GATEWAY).url()), "logs");
        byte[] all = Files.readAllBytes(logFile);
        java.util.List<String> lines = new String(all, (int) logStart, all.length - (int) logStart, java.nio.charset.StandardCharsets.UTF_8)
                .lines().filter(line -> line.startsWith("[")).toList();
        assertThat(lines).as("this run's service lines").hasSizeGreaterThan(10);
        java.util.Set<String> events = new java.util.HashSet<>();
        java.util.Set<String> traced = new java.util.HashSet<>();
        for (String line : lines) {
            String record = line.substring(line.indexOf("] ") + 2);
            JsonObject json;
            try {
                json = new JsonObject(record);
            } catch (RuntimeException notJson) {
                throw new AssertionError("not one JSON object: " + line, notJson);
            }
            assertThat(json.getString("timestamp")).as(line).isNotBlank();
            assertThat(json.getString("level")).as(line).isNotBlank();
            JsonObject mdc = json.getJsonObject("mdc");
            if ("audit".equals(json.getString("loggerName"))) {
                assertThat(mdc).as("an audit line's fields: " + line).isNotNull();
                assertThat(mdc.getString("audit.event")).as("every audit line, in a request or not, names its event: " + line).isNotBlank();
                events.add(mdc.getString("audit.event"));
                if (java.util.Set.of("REGISTERED", "LOGIN_SUCCEEDED").contains(mdc.getString("audit.event"))) {
                    // Written while serving a request through the gateway: its trace, under the gateway's span.
                    assertThat(mdc.getString("traceId")).as(line).matches("[0-9a-f]{32}");
                    assertThat(mdc.getString("parentId")).as(line).matches("[0-9a-f]{16}");
                    traced.add(mdc.getString("audit.event"));
                }
            }
        }
        assertThat(events).as("audit events with their fields in the line").contains("REGISTERED", "LOGIN_SUCCEEDED");
        assertThat(traced).as("audit events with their request's trace").contains("REGISTERED", "LOGIN_SUCCEEDED");
    }
}
