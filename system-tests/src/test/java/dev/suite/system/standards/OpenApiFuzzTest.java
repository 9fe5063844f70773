package dev.suite.system.standards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.localstack.SuiteRoot;
import dev.suite.system.support.RunningSuite;
import dev.suite.system.support.Tls;

/**
 * An outside tool reads each service's published OpenAPI document and generates requests from it (Schemathesis,
 * pinned in {@code src/test/schemathesis/install.sh}, installed into {@code .local/tools} on first use; python3 with
 * venv is required, never skipped): every check on (no 5xx, status codes, content types, headers and bodies as
 * documented, schema violations refused, valid input accepted, auth that is documented is enforced), then the stateful
 * phase through the documents' links; the three services' runs side by side. A signed-in session (a bearer token at
 * the services, cookies and the CSRF token at the gateway) comes from {@code hooks.py}. Fixed seed and bounded
 * examples: {@code -Dsuite.schemathesis.seed}, {@code -Dsuite.schemathesis.examples}. Reports (JUnit XML, HAR of every
 * exchange, the console) in {@code system-tests/target/schemathesis/<service>/}.
 */
class OpenApiFuzzTest {

    static final long SEED = Long.getLong("suite.schemathesis.seed", 20_261_201L);
    static final int EXAMPLES = Integer.getInteger("suite.schemathesis.examples", 25);

    private static final List<String> SERVICES = List.of(RunningSuite.AUTH, RunningSuite.USERS, RunningSuite.GATEWAY);
    /** The three runs, started together: each is one Python process working one request at a time. */
    private static final Map<String, Run> RUNS = new LinkedHashMap<>();

    /** One Schemathesis run against one service: its process, its console file, when it started. */
    private record Run(Process process, Path console, Path reports, long startedNanos) {
    }

    /**
     * All three runs at once: on the 2-core machine the class took 185 s with them one after the other and 115 s side by
     * side (each run sends one request at a time, so alone it leaves the cores idle between them). Each service gets
     * one run, from its own document, with fresh accounts of its own (hooks.py), so none sees another's requests but
     * as load.
     */
    @BeforeAll
    static void startEveryRun() throws Exception {
        Path root = SuiteRoot.find();
        Path here = root.resolve("system-tests/src/test/schemathesis");
        String cli = install(here);
        RunningSuite suite = RunningSuite.shared();
        for (String service : SERVICES) {
            RUNS.put(service, start(cli, here, root.resolve("system-tests/target/schemathesis/" + service), suite, service));
        }
    }

    static List<String> services() {
        return SERVICES;
    }

    @AfterAll
    static void stopWhatIsLeft() {
        RUNS.values().forEach(run -> run.process().destroyForcibly());
    }

    @ParameterizedTest
    @MethodSource("services")
    void theServiceAnswersAsItsDocumentSays(String service) throws Exception {
        Run run = RUNS.get(service);
        Process process = run.process();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("Schemathesis did not finish within 10 minutes against " + service);
        }
        String console = Files.readString(run.console(), StandardCharsets.UTF_8);
        System.out.printf("[schemathesis] %s: exit %d in %d s (seed %d, %d examples per operation); report in %s%n",
                service, process.exitValue(), (System.nanoTime() - run.startedNanos()) / 1_000_000_000, SEED, EXAMPLES, run.reports());
        assertThat(process.exitValue()).as("Schemathesis against %s (console in %s):%n%s", service, run.console(), console).isZero();
        assertThat(console).as("every operation of %s was tested", service).doesNotContain("0 total");
    }

    private static Run start(String cli, Path here, Path reports, RunningSuite suite, String service) throws IOException {
        Files.createDirectories(reports);
        String base = service.equals(RunningSuite.GATEWAY) ? suite.gatewayUrl()
                : service.equals(RunningSuite.AUTH) ? suite.authUrl() : suite.userUrl();
        List<String> command = new ArrayList<>(List.of(cli, "--config-file", here.resolve("schemathesis.toml").toString(), "run", suite.managementUrl(service) + "/q/openapi?format=json",
                "--url", base, "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
                "--seed", Long.toString(SEED), "--max-examples", Integer.toString(EXAMPLES), "--workers", "1",
                "--tls-verify", Tls.caFile().toString(), "--request-timeout", "15", "--no-color",
                "--report", "junit,har", "--report-dir", reports.toString()));
        Path console = reports.resolve("console.txt");
        // Run from the report folder: Schemathesis keeps a cache of its failures in its working directory.
        ProcessBuilder builder = new ProcessBuilder(command).directory(reports.toFile()).redirectErrorStream(true)
                .redirectOutput(console.toFile());
        builder.environment().putAll(Map.of("SCHEMATHESIS_HOOKS", "hooks", "PYTHONPATH", here.toString(),
                "SUITE_FUZZ_TARGET", service, "SUITE_FUZZ_AUTH_URL", suite.authUrl(),
                "SUITE_FUZZ_GATEWAY_URL", suite.gatewayUrl(), "SUITE_FUZZ_CA", Tls.caFile().toString()));
        return new Run(builder.start(), console, reports, System.nanoTime());
    }

    private static String install(Path here) throws IOException, InterruptedException {
        Process install = new ProcessBuilder(here.resolve("install.sh").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String cli = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
            throw new IllegalStateException("Installing Schemathesis failed (python3 with venv is needed; .ci/run installs it)");
        }
        return cli;
    }
}
