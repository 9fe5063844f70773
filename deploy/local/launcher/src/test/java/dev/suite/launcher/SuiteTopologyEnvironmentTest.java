package dev.suite.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.suite.launcher.SuiteTopology.Instance;

/** What each instance is told: one place decides it for make run, the tests and the bench. */
class SuiteTopologyEnvironmentTest {

    private final SuiteTopology topology = SuiteTopology.onFreePorts().tuned(Tuning.FAST_HASHING)
            .withExtra("user-service-norevocation", SuiteTopology.USERS, Map.of("TOKEN_GUARD_REVOCATION_ENABLED", "false"));

    @Test
    void everyInstanceFindsItsUpstreamsWhereTheyListen() {
        for (Instance instance : topology.instances()) {
            Map<String, String> environment = topology.environment(instance.name());
            assertThat(environment).containsEntry("SUITE_AUTH_URL", topology.instance(SuiteTopology.AUTH).url())
                    .containsEntry("SUITE_USER_URL", topology.instance(SuiteTopology.USERS).url())
                    .containsAllEntriesOf(Tuning.FAST_HASHING.environment());
        }
        assertThat(topology.environment(SuiteTopology.GATEWAY))
                .containsEntry("QUARKUS_HTTP_SSL_PORT", String.valueOf(topology.gatewayHttpsPort()))
                .containsEntry("GATEWAY_REDIRECT_TO_HTTPS_PORT", String.valueOf(topology.gatewayHttpsPort()));
        assertThat(topology.environment(SuiteTopology.AUTH)).doesNotContainKey("QUARKUS_HTTP_SSL_PORT");
    }

    @Test
    void everyServiceBehindTheGatewayIsCalledOverHttpsOnlyTheGatewaysPlainPortRedirects() {
        for (SuiteTopology t : List.of(topology, SuiteTopology.makeRun())) {
            assertThat(t.instance(SuiteTopology.AUTH).url()).isEqualTo("https://localhost:" + t.instance(SuiteTopology.AUTH).port());
            assertThat(t.instance(SuiteTopology.USERS).url()).isEqualTo("https://localhost:" + t.instance(SuiteTopology.USERS).port());
            assertThat(List.of(t.issuer(), t.jwksUrl(), t.serviceTokensUrl(), t.gatewayUrl())).allMatch(url -> url.startsWith("https://"));
            assertThat(t.instance(SuiteTopology.GATEWAY).url()).startsWith("http://");
        }
        assertThat(topology.instance("user-service-norevocation").url()).startsWith("https://");
    }

    @Test
    void anExtraInstanceKeepsItsOwnSettingsAndTheOthersDoNotGetThem() {
        assertThat(topology.environment("user-service-norevocation")).containsEntry("TOKEN_GUARD_REVOCATION_ENABLED", "false");
        assertThat(topology.environment(SuiteTopology.USERS)).doesNotContainKey("TOKEN_GUARD_REVOCATION_ENABLED");
        assertThat(topology.instances()).extracting(Instance::name)
                .containsExactly(SuiteTopology.AUTH, SuiteTopology.USERS, SuiteTopology.GATEWAY, "user-service-norevocation");
    }

    @Test
    void eachInstanceGetsOnlyItsOwnRedisPassword() {
        Map<String, String> stack = Map.of("suite.redis.port", "6379", "suite.redis.password", "operator's",
                "suite.redis.auth-service.password", "auth's", "suite.redis.user-service.password", "users'",
                "suite.redis.gateway.password", "gateway's", "suite.pg.auth-app.password", "db");
        assertThat(topology.stackSettings(SuiteTopology.GATEWAY, stack)).containsOnlyKeys("suite.redis.port",
                "suite.redis.gateway.password", "suite.pg.auth-app.password");
        assertThat(topology.stackSettings("user-service-norevocation", stack)).containsOnlyKeys("suite.redis.port",
                "suite.redis.user-service.password", "suite.pg.auth-app.password");
        assertThat(topology.stackSettings(SuiteTopology.AUTH, stack)).containsEntry("suite.redis.auth-service.password", "auth's")
                .doesNotContainKeys("suite.redis.password", "suite.redis.gateway.password");
    }

    /** Only the auth service sends mail: no other process is told the SMTP password (the host and port are no secret). */
    @Test
    void onlyTheAuthServiceGetsTheSmtpPasswordAndItsResetLinksPointAtTheGateway() {
        Map<String, String> stack = Map.of("suite.smtp.host", "127.0.0.1", "suite.smtp.password", "smtp's");
        assertThat(topology.stackSettings(SuiteTopology.AUTH, stack)).containsEntry("suite.smtp.password", "smtp's");
        assertThat(topology.stackSettings(SuiteTopology.GATEWAY, stack)).containsOnlyKeys("suite.smtp.host");
        assertThat(topology.stackSettings("user-service-norevocation", stack)).containsOnlyKeys("suite.smtp.host");
        assertThat(topology.environment(SuiteTopology.AUTH)).containsEntry("SUITE_SPA_URL", topology.gatewayUrl());
    }

    @Test
    void noTwoPortsClash() {
        Set<Integer> ports = new HashSet<>(Set.of(topology.gatewayHttpsPort()));
        for (Instance instance : topology.instances()) {
            assertThat(ports.addAll(List.of(instance.port(), instance.managementPort()))).as(instance.name()).isTrue();
        }
        assertThat(ports).hasSize(1 + 2 * topology.instances().size());
    }

    @Test
    void onlyTheAuthServiceIsToldTheFirstAdminsInitialPassword() {
        Map<String, String> stack = Map.of("suite.redis.port", "6379", "suite.admin.email", "admin@suite.localhost",
                "suite.admin.initial-password", "initial");
        assertThat(topology.stackSettings(SuiteTopology.AUTH, stack)).containsEntry("suite.admin.initial-password", "initial")
                .containsEntry("suite.admin.email", "admin@suite.localhost");
        for (String other : List.of(SuiteTopology.USERS, SuiteTopology.GATEWAY, "user-service-norevocation")) {
            assertThat(topology.stackSettings(other, stack)).as(other).containsOnlyKeys("suite.redis.port");
        }
    }
}
