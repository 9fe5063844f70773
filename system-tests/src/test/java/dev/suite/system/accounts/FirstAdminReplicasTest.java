package dev.suite.system.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.launcher.ServiceProcess;
import dev.suite.launcher.SuiteProcesses;
import dev.suite.launcher.SuiteTopology;
import dev.suite.system.support.Database;
import dev.suite.system.support.RunningSuite;

/**
 * Issue 23, item 2: several replicas of the auth service start at the same moment, each configured with the same new
 * first admin (as a Deployment's pods are): separate packaged jars, separate JVMs and connections, one database. One
 * account is made, once, with one audit event; every replica starts (none fails on the other's row).
 */
class FirstAdminReplicasTest {

    private static final int REPLICAS = 3;

    @Test
    void replicasStartingTogetherMakeOneAdmin() throws Exception {
        RunningSuite suite = RunningSuite.shared(); // the stack, migrated by the suite's own auth service
        String email = "replica-admin-" + UUID.randomUUID() + "@example.com";
        SuiteTopology topology = SuiteTopology.onFreePorts();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= REPLICAS; i++) {
            // The %dev profile reads the admin from suite.admin.* (what make run names); this overrides the stack's.
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("SUITE_ADMIN_EMAIL", email);
            topology = topology.withExtra("auth-replica-" + i, SuiteTopology.AUTH, environment);
            names.add("auth-replica-" + i);
        }
        PrintStream log = new PrintStream(System.out, true);
        try (SuiteProcesses replicas = new SuiteProcesses(suite.stack(), topology, name -> log)) {
            List<ServiceProcess> started = new ArrayList<>();
            for (String name : names) {
                started.add(replicas.launch(name)); // all launched before any is awaited: their starts overlap
            }
            for (ServiceProcess replica : started) {
                replica.awaitReady();
                assertThat(replica.process().isAlive()).as(replica.name()).isTrue();
            }
        }
        assertThat(Database.count("auth", "SELECT count(*) FROM account WHERE email = ?", email)).isEqualTo(1);
        assertThat(Database.count("auth", "SELECT count(*) FROM account WHERE email = ? AND roles = 'user,admin' "
                + "AND password_change_required", email)).isEqualTo(1);
        assertThat(Database.count("auth", "SELECT count(*) FROM admin_bootstrap WHERE email = ?", email)).isEqualTo(1);
        assertThat(Database.count("auth", "SELECT count(*) FROM audit_event e JOIN account a ON a.id = e.account_id "
                + "WHERE a.email = ? AND e.type = 'ADMIN_BOOTSTRAPPED'", email)).isEqualTo(1);
    }
}
