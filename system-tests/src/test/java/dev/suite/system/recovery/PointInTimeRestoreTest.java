package dev.suite.system.recovery;

import static dev.suite.system.support.Browser.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.suite.launcher.SuiteProcesses;
import dev.suite.launcher.SuiteTopology;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.PostgresBackups;
import dev.suite.localstack.SuiteRoot;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Database;
import dev.suite.system.support.SuiteOfItsOwn;
import io.vertx.core.json.JsonObject;

/**
 * The restore runbook (docs/runbooks/postgres-restore.md), rehearsed on a suite and a PostgreSQL of its own (the shared
 * suite's accounts are other tests' fixtures): a base backup taken while the suite serves, accounts and profile writes
 * on both sides of a restore point, the services stopped, the database restored to that point, the suite started on it
 * (its log: system-tests/target/restore-rehearsal.log).
 */
class PointInTimeRestoreTest {

    private static SuiteOfItsOwn suite;
    private static LocalStack stack;
    private static SuiteProcesses services;

    @BeforeAll
    static void startASuiteOfItsOwn() {
        suite = SuiteOfItsOwn.start("restore-rehearsal", LocalStack.startArchiving(), topology -> topology);
        stack = suite.stack();
        services = suite.services();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void theSuiteRestoredToAPointInTimeHasTheAccountsOfThatTimeAndNoneAfter() {
        PostgresBackups backups = stack.postgresBackups();
        PostgresBackups.BaseBackup nightly = backups.baseBackup();
        String gateway = services.topology().gatewayUrl();

        Browser before = Browser.signedUp(gateway, "restore-before");
        expect(before.patchMe(new JsonObject().put("bio", "written before the restore point")), 200);
        Browser thief = before.copy(); // its refresh token, copied before the restore point
        Instant restorePoint = backups.serverNow();
        Browser after = Browser.signedUp(gateway, "restore-after");
        expect(before.patchMe(new JsonObject().put("bio", "written after it")), 200);
        // Rotated after the restore point: the copied token is spent, and reusing it would end the session...
        expect(before.refresh(), 200);

        // The services that hold database connections are stopped, so nothing writes to the old cluster meanwhile, and
        // started again on the restored one; the gateway keeps running (it has no database).
        List<String> withDatabase = List.of(SuiteTopology.AUTH, SuiteTopology.USERS);
        withDatabase.forEach(services::stop);
        backups.archiveNow(); // the runbook's step 3: the last writes reach the archive before the server stops
        Path previous = backups.restore(nightly, restorePoint);
        // ...but the restored database has its session live and the token unspent (without the next step the thief's
        // refresh was answered 200): the runbook's next step ends every session it holds.
        String liveSessions = "select count(*) from auth.auth_session s join auth.account a on a.id = s.account_id "
                + "where a.email = ? and s.revoked_at is null";
        assertThat(Database.count(stack, "auth", liveSessions, before.email())).as("restored live").isEqualTo(1);
        Database.runScript(stack, "auth", SuiteRoot.find().resolve("deploy/db/after-restore.sql"));
        assertThat(Database.count(stack, "auth", liveSessions, before.email())).as("live after the runbook's step").isZero();
        assertThat(Database.count(stack, "auth", "select count(*) from auth.auth_session where revoked_at is null")).isZero();
        withDatabase.forEach(services::start);

        expect(thief.refresh(), 401);

        Browser returning = new Browser(gateway);
        returning.csrf();
        expect(returning.login(before.email(), Browser.PASSWORD), 200);
        assertThat(expect(returning.me(), 200).json().getString("bio")).isEqualTo("written before the restore point");

        Browser lost = new Browser(gateway);
        lost.csrf();
        expect(lost.login(after.email(), Browser.PASSWORD), 401);
        assertThat(previous).as("the database as it was before the restore, kept until the restore is checked").isDirectory();
    }
}
