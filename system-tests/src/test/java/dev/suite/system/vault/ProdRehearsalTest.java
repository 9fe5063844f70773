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

    @BeforeAll
    static void startTheSuiteInProd() throws IOException {
        LocalStack stack = LocalStack.shared();
        Path logFile = SuiteRoot.find().resolve("system-tests/target/prod-rehearsal.log");
        Files.createDirectories(logFile.getParent());
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
}
