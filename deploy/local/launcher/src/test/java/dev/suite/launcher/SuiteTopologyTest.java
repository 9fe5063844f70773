package dev.suite.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.suite.launcher.SuiteTopology.Instance;
import dev.suite.localstack.SuiteRoot;

/**
 * make run's topology and each module's %dev profile name the same ports (a jar started by hand lands where make run
 * puts it), and no two of them clash; the JWKS address make run prints is the one the suite's own verifiers use.
 */
class SuiteTopologyTest {

    @Test
    void theTopologyMatchesEachModulesDevProfile() throws IOException {
        Set<Integer> seen = new HashSet<>(Set.of(SuiteTopology.makeRun().gatewayHttpsPort()));
        for (Instance service : SuiteTopology.makeRun().instances()) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(SuiteRoot.find().resolve(service.module())
                    .resolve("src/main/resources/application.properties"))) {
                properties.load(in);
            }
            assertThat(properties.getProperty("quarkus.http.port")).as(service.module()).isEqualTo(String.valueOf(service.port()));
            assertThat(properties.getProperty("%dev.quarkus.management.port")).as(service.module())
                    .isEqualTo(String.valueOf(service.managementPort()));
            assertThat(properties.getProperty("quarkus.management.enabled")).as(service.module()).isEqualTo("true");
            // service-runtime's %dev,prod management.ssl lines: the launcher asks the management port over TLS.
            assertThat(service.managementUrl()).as(service.module()).startsWith("https://");
            assertThat(seen.add(service.port())).as("%s port %d is unique", service.module(), service.port()).isTrue();
            assertThat(seen.add(service.managementPort())).as("%s management port is unique", service.module()).isTrue();
            if (service.module().equals(SuiteTopology.GATEWAY)) {
                assertThat(properties.getProperty("quarkus.http.ssl-port")).isEqualTo(String.valueOf(SuiteTopology.makeRun().gatewayHttpsPort()));
            }
        }
    }

    @Test
    void anExampleConsumerBesideTheSuiteIsAskedInPlainHttpItHasNoCertificateOfTheSuites() {
        Instance example = new Instance("oidc-consumer", "examples/oidc-consumer", dev.suite.localstack.Host.LOOPBACK, 8090, 9090,
                java.util.Map.of());
        assertThat(example.managementUrl()).isEqualTo("http://localhost:9090");
    }

    @Test
    void theJwksAddressMakeRunPrintsIsTheOneTheVerifiersOfTheSuiteUse() throws IOException {
        SuiteTopology topology = SuiteTopology.makeRun();
        String path = topology.jwksUrl().substring(topology.instance(SuiteTopology.AUTH).url().length());
        for (String module : new String[] { SuiteTopology.USERS, SuiteTopology.GATEWAY }) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(SuiteRoot.find().resolve(module).resolve("src/main/resources/application.properties"))) {
                properties.load(in);
            }
            assertThat(properties.getProperty("%dev,test.token-guard.jwks-url")).as(module).isEqualTo("${suite.auth.url}" + path);
        }
    }
}
