package dev.suite.auth.attacks;

import static dev.suite.fixtures.Privileges.may;
import static dev.suite.fixtures.Privileges.mayNot;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.auth.AuthClient;
import dev.suite.auth.OwnerDatabase;
import dev.suite.fixtures.Privileges;
import dev.suite.fixtures.SchemaHistory;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Least privilege inside PostgreSQL (issue 17, item 8): what auth_app, the role every request runs as, may and may
 * not do to each table, column, sequence and function, run as auth_app itself over verified TLS. The "may not" lines
 * are what SQL injected into any query of the service could try: make an admin, rewrite or erase the audit trail,
 * swap a published key for the attacker's, keep a revoked session alive, move a refresh token to another session.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class AppRolePrivilegesTest {

    private static final String NEW_ACCOUNT = "INSERT INTO account (id, email, display_name, password_hash, %s created_at, updated_at) "
            + "VALUES (gen_random_uuid(), 'grant-probe-' || gen_random_uuid() || '@example.com', 'Probe', 'x', %s now(), now())";

    /** Runs {@code %s} for every unlocked admin, after making the fixture's account one (so there is at least one). */
    private static final String EVERY_ADMIN = "DO $$DECLARE r record; BEGIN PERFORM auth.set_admin_role('{account}', true); "
            + "FOR r IN SELECT id FROM auth.account WHERE locked_at IS NULL AND 'admin' = ANY (string_to_array(roles, ',')) "
            + "LOOP PERFORM %s; END LOOP; END$$";

    /**
     * Every function auth_app may call, each a narrow door the owner opened on purpose (V6, V8, V9). One more (a grant
     * too wide, a function left open by default) fails {@link #theAppRoleMayCallOnlyTheOwnersHardenedFunctions}.
     */
    private static final Set<String> APP_FUNCTIONS = Set.of("schema_version", "bootstrap_admin", "set_account_locked",
            "set_admin_role", "audit_page", "purge_audit_events");

    static List<Privileges.Line> lines() {
        return List.of(
                // account
                may("find an account", "SELECT id, email, display_name, password_hash, roles FROM account WHERE id = '{account}'"),
                may("lock an account to check its hash", "SELECT id FROM account WHERE id = '{account}' FOR UPDATE"),
                may("register an account", NEW_ACCOUNT.formatted("", "")),
                may("replace a password hash", "UPDATE account SET password_hash = password_hash, updated_at = now() WHERE id = '{account}'"),
                may("delete an account, its sessions and refresh tokens going with it", "DELETE FROM account WHERE id = '{account}'"),
                mayNot("make itself admin", "UPDATE account SET roles = 'user,admin' WHERE id = '{account}'"),
                mayNot("register an admin", NEW_ACCOUNT.formatted("roles,", "'user,admin',")),
                // Issue 21: a confirmed change of address (V10). No more than it had: it could already replace the password hash.
                may("change an account's email", "UPDATE account SET email = email, email_verified = true WHERE id = '{account}'"),
                mayNot("rename an account", "UPDATE account SET display_name = 'x' WHERE id = '{account}'"),
                mayNot("empty the account table", "TRUNCATE account CASCADE"),
                may("lift a required password change (the owner's own change)",
                        "UPDATE account SET password_change_required = false WHERE id = '{account}'"),
                mayNot("register an account with a flag only the bootstrap sets",
                        NEW_ACCOUNT.formatted("password_change_required,", "true,")),
                // admin_bootstrap: only auth.bootstrap_admin(), running as the owner, reads or writes it
                mayNot("read who was bootstrapped as admin", "SELECT email, account_id FROM admin_bootstrap"),
                mayNot("forget a bootstrap, so that the next start resets the admin's password",
                        "DELETE FROM admin_bootstrap"),
                mayNot("record a bootstrap itself, so that the configured admin is never made",
                        "INSERT INTO admin_bootstrap (email, account_id, outcome) VALUES ('x@example.com', gen_random_uuid(), 'created')"),
                may("bootstrap an address never bootstrapped before (what the first admin's start does)",
                        "SELECT outcome FROM auth.bootstrap_admin('bootstrap-probe-' || gen_random_uuid() || '@example.com', "
                                + "gen_random_uuid(), 'Probe', 'x')"),
                // Issue 23 (V9): locks, the admin role and reading or thinning the audit trail only through the owner's
                // functions, each with its own limits
                may("lock an account (the admin API)", "SELECT auth.set_account_locked('{account}', true)"),
                mayNot("unlock an account by writing the column (what a password reset could be made to try)",
                        "UPDATE account SET locked_at = NULL WHERE id = '{account}'"),
                mayNot("register an account with a lock of its choosing", NEW_ACCOUNT.formatted("locked_at,", "now(),")),
                may("grant the admin role (the admin API)", "SELECT auth.set_admin_role('{account}', true)"),
                mayNot("lock every admin, the last one too", EVERY_ADMIN.formatted("auth.set_account_locked(r.id, true)")),
                mayNot("remove the admin role from every admin, the last one too", EVERY_ADMIN.formatted("auth.set_admin_role(r.id, false)")),
                may("read a page of the audit trail (the admin API)", "SELECT * FROM auth.audit_page('{account}', NULL, NULL, NULL, NULL, 50)"),
                may("append an event with the admin who caused it", "INSERT INTO audit_event (occurred_at, type, account_id, actor_id) "
                        + "VALUES (now(), 'GRANT_PROBE', '{account}', '{account}') RETURNING id"),
                mayNot("read who caused events from the table itself", "SELECT actor_id FROM audit_event"),
                may("delete events older than the 30-day floor (the retention job)",
                        "SELECT auth.purge_audit_events(now() - interval '31 days', 1000)"),
                mayNot("erase recent history through the retention function (below its 30-day floor)",
                        "SELECT auth.purge_audit_events(now() - interval '29 days', 10000)"),
                mayNot("erase all history through the retention function", "SELECT auth.purge_audit_events('infinity', 10000)"),
                // auth_session
                may("read a session", "SELECT * FROM auth_session WHERE id = '{session}'"),
                may("open a session", "INSERT INTO auth_session (id, account_id, created_at, last_used_at, absolute_expires_at) "
                        + "VALUES (gen_random_uuid(), '{account}', now(), now(), now() + interval '1 day')"),
                may("use and revoke a session", "UPDATE auth_session SET last_used_at = now(), revoked_at = now(), "
                        + "revoke_reason = 'probe' WHERE id = '{session}'"),
                mayNot("extend a session past its absolute lifetime",
                        "UPDATE auth_session SET absolute_expires_at = absolute_expires_at + interval '1 year' WHERE id = '{session}'"),
                mayNot("move a session to another account", "UPDATE auth_session SET account_id = gen_random_uuid() WHERE id = '{session}'"),
                may("note the network a session was last used from", "UPDATE auth_session SET client_network = '192.0.2.0/24' "
                        + "WHERE id = '{session}'"),
                mayNot("relabel a session's device (what its owner recognises it by)",
                        "UPDATE auth_session SET device = 'Firefox on Linux' WHERE id = '{session}'"),
                mayNot("delete a session (the record of its revocation)", "DELETE FROM auth_session WHERE id = '{session}'"),
                // refresh_token
                may("find refresh tokens", "SELECT * FROM refresh_token WHERE session_id = '{session}' FOR UPDATE"),
                may("store a refresh token", "INSERT INTO refresh_token (token_hash, session_id, issued_at) "
                        + "VALUES (repeat('a', 64), '{session}', now())"),
                may("mark a refresh token used", "UPDATE refresh_token SET used_at = now(), successor_hash = repeat('b', 64) "
                        + "WHERE session_id = '{session}'"),
                mayNot("move a refresh token to another session",
                        "UPDATE refresh_token SET session_id = gen_random_uuid() WHERE session_id = '{session}'"),
                mayNot("make a refresh token younger", "UPDATE refresh_token SET issued_at = now() WHERE session_id = '{session}'"),
                mayNot("delete refresh tokens", "DELETE FROM refresh_token WHERE session_id = '{session}'"),
                // audit_event: append-only
                may("append an audit event", "INSERT INTO audit_event (occurred_at, type, detail) VALUES (now(), 'GRANT_PROBE', 'test') "
                        + "RETURNING id"),
                may("draw the next audit id", "SELECT nextval('audit_event_id_seq')"),
                mayNot("read the audit trail", "SELECT type, account_id, client_ip, detail FROM audit_event"),
                mayNot("rewrite history", "UPDATE audit_event SET detail = 'nothing happened'"),
                mayNot("erase history", "DELETE FROM audit_event WHERE account_id = '{account}'"),
                mayNot("erase all history at once", "TRUNCATE audit_event"),
                mayNot("forge an event's id or time order", "INSERT INTO audit_event (id, occurred_at, type) VALUES (1, now(), 'FORGED')"),
                mayNot("rewind the audit sequence", "SELECT setval('audit_event_id_seq', 1)"),
                // signing_key
                may("read the key ring", "SELECT kid, state, private_key, sealed_by, public_jwk, created_at, activated_at, withdrawn_at "
                        + "FROM signing_key"),
                may("add a key to the ring", "INSERT INTO signing_key (kid, private_key, sealed_by, public_jwk, state, created_at, activated_at) "
                        + "VALUES ('grant-probe', '\\x00', null, '{}', 'retired', now(), null)"),
                may("move keys through their states", "UPDATE signing_key SET state = state, activated_at = activated_at WHERE state = 'current'"),
                may("withdraw a key", "UPDATE signing_key SET withdrawn_at = now() WHERE state = 'current'"),
                may("re-seal a private key", "UPDATE signing_key SET private_key = private_key, sealed_by = sealed_by WHERE state = 'current'"),
                mayNot("swap a published key for its own", "UPDATE signing_key SET public_jwk = '{}' WHERE state = 'current'"),
                mayNot("rename a key", "UPDATE signing_key SET kid = 'attacker' WHERE state = 'current'"),
                mayNot("backdate a key", "UPDATE signing_key SET created_at = now() - interval '1 year'"),
                mayNot("delete a key (a withdrawn one would come back as unknown, not refused)", "DELETE FROM signing_key"),
                // what belongs to the migrations
                // the one thing of the migrations it may know: which version is applied (its readiness check asks)
                may("ask which schema version is applied", "SELECT auth.schema_version()"),
                mayNot("make schema_version() answer what it likes", "CREATE OR REPLACE FUNCTION auth.schema_version() RETURNS text "
                        + "LANGUAGE sql AS $$SELECT '999'$$"),
                mayNot("create a table (DDL)", "CREATE TABLE auth.ddl_probe (id int)"),
                mayNot("create a function that would run as it", "CREATE FUNCTION auth.ddl_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'"),
                mayNot("read the migration history", "SELECT * FROM flyway_schema_history"),
                mayNot("mark a migration as never run", "DELETE FROM flyway_schema_history"),
                mayNot("turn the audit trail into its own table", "ALTER TABLE audit_event OWNER TO auth_app"));
    }

    private static Map<String, String> fixture;

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void theAppRoleHasExactlyTheRightsItsQueriesNeed(Privileges.Line line) throws SQLException {
        try (Connection app = Privileges.asServiceRole()) {
            Privileges.check(app, line, fixture());
        }
    }

    @Test
    void aTableOrFunctionTheOwnerAddsIsClosedToTheAppRoleUntilAMigrationGrantsIt() throws SQLException {
        Privileges.assertNewObjectsAreClosed();
    }

    @Test
    void schemaVersionRunsAsTheOwnerWithAFixedSearchPathAndOnlyTheAppRoleMayCallIt() throws SQLException {
        Privileges.assertSchemaVersionIsHardened("auth");
    }

    /**
     * What auth_app can run with the owner's rights is exactly {@link #APP_FUNCTIONS}, and each runs as the owner under
     * a fixed search_path (nothing a caller creates or sets can stand in for what it calls), with no EXECUTE for PUBLIC.
     */
    @Test
    void theAppRoleMayCallOnlyTheOwnersHardenedFunctions() throws SQLException {
        Config config = ConfigProvider.getConfig();
        String owner = config.getValue("quarkus.flyway.username", String.class);
        String app = config.getValue("quarkus.datasource.username", String.class);
        Set<String> callable = new TreeSet<>();
        try (Connection connection = Privileges.asMigrationRole(); PreparedStatement query = connection.prepareStatement(
                "SELECT p.proname, p.prosecdef, pg_get_userbyid(p.proowner), array_to_string(p.proconfig, ';'), "
                        + "(SELECT count(*) FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a "
                        + "  WHERE a.privilege_type = 'EXECUTE' AND a.grantee = 0) "
                        + "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                        + "WHERE n.nspname = 'auth' AND has_function_privilege(?, p.oid, 'EXECUTE')")) {
            query.setString(1, app);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    callable.add(name);
                    assertThat(rows.getBoolean(2)).as(name + " is SECURITY DEFINER").isTrue();
                    assertThat(rows.getString(3)).as(name + "'s owner").isEqualTo(owner);
                    assertThat(rows.getString(4)).as(name + "'s settings").isEqualTo("search_path=pg_catalog, auth, pg_temp");
                    assertThat(rows.getLong(5)).as("PUBLIC may execute " + name).isZero();
                }
            }
        }
        assertThat(callable).as("the functions " + app + " may execute in schema auth").isEqualTo(new TreeSet<>(APP_FUNCTIONS));
    }

    /** However many rows it is asked for, the audit read answers at most 200: no call dumps the whole trail. */
    @Test
    void theAuditReadAnswersAtMostOneBoundedPage() throws SQLException {
        OwnerDatabase.update("INSERT INTO audit_event (occurred_at, type, detail) SELECT now(), 'PAGE_PROBE', 'probe' "
                + "FROM generate_series(1, 250)");
        try (Connection app = Privileges.asServiceRole(); Statement statement = app.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM auth.audit_page(NULL, NULL, NULL, NULL, NULL, 100000)")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(200);
        }
    }

    @Test
    void schemaVersionAnswersTheHighestVersionAppliedWithSuccess() throws SQLException {
        SchemaHistory.assertSchemaVersionIsTheHighestSuccessfulOne("auth");
    }

    private static synchronized Map<String, String> fixture() {
        if (fixture == null) {
            JsonPath login = AuthClient.signedIn(); // an account, a session, a refresh token and audit events
            fixture = Map.of("account", login.getString("user.id"), "session", login.getString("sessionId"));
        }
        return fixture;
    }
}
