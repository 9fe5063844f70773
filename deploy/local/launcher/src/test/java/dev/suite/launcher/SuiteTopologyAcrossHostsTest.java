package dev.suite.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.launcher.SuiteTopology.Instance;
import dev.suite.localstack.Host;

/** The suite across hosts (system-tests CrossHostTest): each instance on its own host, bound there, found there. */
class SuiteTopologyAcrossHostsTest {

    private static final Map<String, Host> HOSTS = Map.of(
            SuiteTopology.AUTH, new Host("suitenet-auth", "198.51.100.11"),
            SuiteTopology.USERS, new Host("suitenet-users", "198.51.100.12"),
            SuiteTopology.GATEWAY, new Host("suitenet-gateway", "198.51.100.10"),
            SuiteTopology.AUTH_MIGRATIONS, new Host("suitenet-migrations", "198.51.100.20"),
            SuiteTopology.USERS_MIGRATIONS, new Host("suitenet-migrations", "198.51.100.20"));

    private final SuiteTopology topology = SuiteTopology.acrossHosts(HOSTS);

    @Test
    void everyInstanceListensOnItsOwnHostsAddressOnlyAndIsFoundThere() {
        for (Instance instance : topology.instances()) {
            Host host = HOSTS.get(instance.name());
            assertThat(instance.host()).isEqualTo(host);
            assertThat(topology.environment(instance.name())).as(instance.name())
                    .containsEntry("QUARKUS_HTTP_HOST", host.address()).containsEntry("QUARKUS_MANAGEMENT_HOST", host.address())
                    .containsEntry("SUITE_AUTH_URL", "https://198.51.100.11:8081").containsEntry("SUITE_USER_URL", "https://198.51.100.12:8082")
                    .containsEntry("SUITE_GATEWAY_PROXIES", "198.51.100.10");
            assertThat(instance.managementPort()).isEqualTo(9000);
        }
        assertThat(topology.gatewayUrl()).isEqualTo("https://198.51.100.10:8080");
        assertThat(topology.isProd()).isFalse();
    }

    @Test
    void onlyTheMigrationJobsMigrateAndTheyRunFromTheirOwnHost() {
        assertThat(topology.migrations()).extracting(Instance::name)
                .containsExactly(SuiteTopology.AUTH_MIGRATIONS, SuiteTopology.USERS_MIGRATIONS);
        for (Instance job : topology.migrations()) {
            assertThat(job.host().address()).isEqualTo("198.51.100.20");
            assertThat(topology.environment(job.name())).containsEntry("SUITE_MIGRATE_ONLY", "true");
        }
        assertThat(topology.environment(SuiteTopology.AUTH)).containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
        assertThat(topology.environment(SuiteTopology.USERS)).containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
    }

    @Test
    void aProgramOnAHostOfItsOwnEntersItsNamespaceAndOnLoopbackRunsAsItIs() {
        assertThat(HOSTS.get(SuiteTopology.AUTH).run(java.util.List.of("java", "-version")))
                .endsWith("netns", "exec", "suitenet-auth", "java", "-version");
        assertThat(Host.LOOPBACK.run(java.util.List.of("java", "-version"))).containsExactly("java", "-version");
    }

    /** ReplicasAcrossHostsTest: two hosts each for the auth and user services, each pair behind one Service address. */
    @Test
    void replicasListenOnTheirOwnAddressesAndEveryoneCallsTheServiceAddressInFrontOfThem() {
        Host auth2 = new Host("suitenet-auth-2", "198.51.100.13");
        Host users2 = new Host("suitenet-users-2", "198.51.100.14");
        Map<String, java.util.List<Host>> hosts = new LinkedHashMap<>();
        HOSTS.forEach((name, host) -> hosts.put(name, java.util.List.of(host)));
        hosts.put(SuiteTopology.AUTH, java.util.List.of(HOSTS.get(SuiteTopology.AUTH), auth2));
        hosts.put(SuiteTopology.USERS, java.util.List.of(HOSTS.get(SuiteTopology.USERS), users2));
        SuiteTopology replicated = SuiteTopology.acrossHosts(hosts,
                Map.of(SuiteTopology.AUTH, "198.51.100.111", SuiteTopology.USERS, "198.51.100.112"));

        assertThat(replicated.instances()).extracting(Instance::name)
                .containsExactly("auth-service-1", "auth-service-2", "user-service-1", "user-service-2", SuiteTopology.GATEWAY);
        assertThat(replicated.replicas(SuiteTopology.AUTH)).extracting(instance -> instance.host().address())
                .containsExactly("198.51.100.11", "198.51.100.13");
        assertThat(replicated.replicas(SuiteTopology.USERS)).extracting(Instance::url)
                .containsExactly("https://198.51.100.12:8082", "https://198.51.100.14:8082");
        for (Instance instance : replicated.instances()) {
            assertThat(replicated.environment(instance.name())).as(instance.name())
                    .containsEntry("QUARKUS_HTTP_HOST", instance.host().address())
                    .containsEntry("SUITE_AUTH_URL", "https://198.51.100.111:8081").containsEntry("SUITE_USER_URL", "https://198.51.100.112:8082");
        }
        // One issuer for every replica: a token from either verifies at both.
        assertThat(replicated.issuer()).isEqualTo("https://198.51.100.111:8081");
        assertThat(replicated.jwksUrl()).isEqualTo("https://198.51.100.111:8081/.well-known/jwks.json");
        // Each replica reads its own module's settings (its Redis user, its database role).
        assertThat(replicated.stackSettings("user-service-2", Map.of("suite.redis.user-service.password", "u", "suite.redis.gateway.password", "g")))
                .containsOnlyKeys("suite.redis.user-service.password");
        assertThatThrownBy(() -> SuiteTopology.acrossHosts(hosts, Map.of(SuiteTopology.USERS, "198.51.100.112")))
                .hasMessageContaining("no Service address");
    }

    @Test
    void anInstanceWithoutAHostOfItsOwnIsRefused() {
        Map<String, Host> missing = new LinkedHashMap<>(HOSTS);
        missing.put(SuiteTopology.GATEWAY, Host.LOOPBACK);
        assertThatThrownBy(() -> SuiteTopology.acrossHosts(missing)).hasMessageContaining("No host of its own for gateway");
    }
}
