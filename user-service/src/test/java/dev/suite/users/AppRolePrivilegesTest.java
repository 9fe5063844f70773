package dev.suite.users;

import static dev.suite.fixtures.Privileges.may;
import static dev.suite.fixtures.Privileges.mayNot;
import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.fixtures.Privileges;
import dev.suite.fixtures.SchemaHistory;
import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Least privilege inside PostgreSQL (issue 17, item 8): what users_app may and may not do to the profile table and
 * what the migrations own, run as users_app itself over verified TLS, for the owner's own row (row-level security
 * scoped to it, as every query of the service is). The "may not" lines stay refused even there.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class AppRolePrivilegesTest {

    private static final String OWN_ROW = "SELECT set_config('app.owner_id', '{owner}', true)";
    private static final String NEW_ROW = "SELECT set_config('app.owner_id', '{stranger}', true)";

    static List<Privileges.Line> lines() {
        return List.of(
                may("read its profile", "SELECT * FROM profile WHERE id = '{owner}'"),
                may("edit its profile", "UPDATE profile SET display_name = 'x', bio = 'x', locale = 'de', avatar_url = null, "
                        + "private_notes = 'x', updated_at = now() WHERE id = '{owner}'"),
                may("delete its profile", "DELETE FROM profile WHERE id = '{owner}'"),
                mayNot("move its row to another id", "UPDATE profile SET id = '{stranger}' WHERE id = '{owner}'"),
                mayNot("backdate its profile", "UPDATE profile SET created_at = now() - interval '1 year' WHERE id = '{owner}'"),
                mayNot("empty the table", "TRUNCATE profile"),
                mayNot("switch row-level security off", "ALTER TABLE profile DISABLE ROW LEVEL SECURITY"),
                // the one thing of the migrations it may know: which version is applied (its readiness check asks)
                may("ask which schema version is applied", "SELECT users.schema_version()"),
                mayNot("make schema_version() answer what it likes", "CREATE OR REPLACE FUNCTION users.schema_version() RETURNS text "
                        + "LANGUAGE sql AS $$SELECT '999'$$"),
                mayNot("create a table (DDL)", "CREATE TABLE users.ddl_probe (id int)"),
                mayNot("create a function that would run as it", "CREATE FUNCTION users.ddl_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'"),
                mayNot("read the migration history", "SELECT * FROM flyway_schema_history"),
                mayNot("mark a migration as never run", "DELETE FROM flyway_schema_history"));
    }

    static List<Privileges.Line> firstVisit() {
        return List.of(
                may("make a profile at the first visit", "INSERT INTO profile (id, display_name, created_at, updated_at) "
                        + "VALUES ('{stranger}', 'New', now(), now()) ON CONFLICT (id) DO NOTHING"),
                mayNot("make a profile with private data already in it",
                        "INSERT INTO profile (id, display_name, private_notes, created_at, updated_at) VALUES ('{stranger}', 'New', 'planted', now(), now())"));
    }

    private static Map<String, String> fixture;

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void onItsOwnRowTheAppRoleHasExactlyTheRightsItsQueriesNeed(Privileges.Line line) throws SQLException {
        try (Connection app = Privileges.asServiceRole()) {
            Privileges.check(app, line, fixture(), OWN_ROW);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstVisit")
    void aNewProfileStartsWithANameOnly(Privileges.Line line) throws SQLException {
        try (Connection app = Privileges.asServiceRole()) {
            Privileges.check(app, line, fixture(), NEW_ROW);
        }
    }

    @Test
    void aTableOrFunctionTheOwnerAddsIsClosedToTheAppRoleUntilAMigrationGrantsIt() throws SQLException {
        Privileges.assertNewObjectsAreClosed();
    }

    @Test
    void schemaVersionRunsAsTheOwnerWithAFixedSearchPathAndOnlyTheAppRoleMayCallIt() throws SQLException {
        Privileges.assertSchemaVersionIsHardened("users");
    }

    @Test
    void schemaVersionAnswersTheHighestVersionAppliedWithSuccess() throws SQLException {
        SchemaHistory.assertSchemaVersionIsTheHighestSuccessfulOne("users");
    }

    private static synchronized Map<String, String> fixture() {
        if (fixture == null) {
            JsonPath owner = Accounts.newUser("Grant Probe");
            given().auth().oauth2(owner.getString("accessToken")).get("/users/me").then().statusCode(200); // makes the row
            fixture = Map.of("owner", owner.getString("user.id"), "stranger", java.util.UUID.randomUUID().toString());
        }
        return fixture;
    }
}
