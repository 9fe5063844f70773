package dev.suite.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class AuthServiceReadinessTest {

    /** Health is on the management port only (application.properties). */
    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @Inject
    Pool database;

    @Test
    void readyWithDatabaseAndRedisChecksUp() {
        given().when().get(ready)
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Reactive PostgreSQL connections health check", "Redis connection health check", "Database schema"));
    }

    @Test
    void migrationsRanAsOwnerAndTheAppRoleReadsTheTables() {
        Row row = database.query("SELECT current_user AS app, (SELECT tableowner FROM pg_tables WHERE tablename = 'account') AS owner, "
                + "(SELECT count(*) FROM account) AS accounts").execute().await().indefinitely().iterator().next();
        assertThat(row.getString("app")).isEqualTo("auth_app");
        assertThat(row.getString("owner")).isEqualTo("auth_owner");
        assertThat(row.getLong("accounts")).isNotNull();
    }
}
