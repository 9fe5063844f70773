package dev.suite.auth.attacks;

import static dev.suite.fixtures.Privileges.may;
import static dev.suite.fixtures.Privileges.mayNot;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.auth.AuthClient;
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
