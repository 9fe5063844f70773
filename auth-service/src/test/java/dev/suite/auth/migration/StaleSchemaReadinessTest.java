package dev.suite.auth.migration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.suite.auth.OwnerDatabase;
import dev.suite.fixtures.Migrations;
import dev.suite.fixtures.StaleSchemaStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A pod of a new release that starts before the release's migration Job has run (issue 18, item 5): the auth database
 * of its own stack is left at V5, older than this build. The service starts (its old tables are there) but stays out
 * of readiness, saying what it expects and what it found, while its database connection is fine; once the migrations
 * run (as the owner, as the Job would), it becomes ready.
 */
@QuarkusTest
@TestProfile(StaleSchemaReadinessTest.OlderSchema.class)
class StaleSchemaReadinessTest {

    public static class OlderSchema implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StaleSchemaStack.class, Map.of("database", "auth", "target", "5")));
        }
    }

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @Test
    void notReadyOnASchemaOlderThanTheCodeThenReadyOnceMigrated() throws IOException {
        String expected = highestMigrationInTheSources();
        given().when().get(ready).then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Database schema' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Database schema' }.data.expected", equalTo(expected))
                .body("checks.find { it.name == 'Database schema' }.data.reason", containsString("this build expects " + expected))
                // the database itself answers: the schema alone keeps the pod out
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", equalTo("UP"));

        // What the release's migration Job does, as auth_owner; twice at once (a Job's retry, or two releases racing):
        // Flyway takes PostgreSQL's advisory lock around the migration, so one applies it and the other finds it done.
        twoMigrationsAtOnce();
        assertThat(OwnerDatabase.count("SELECT count(*) FROM flyway_schema_history WHERE NOT success")).as("failed migrations").isZero();
        assertThat(OwnerDatabase.count("SELECT count(*) - count(DISTINCT version) FROM flyway_schema_history WHERE version IS NOT NULL"))
                .as("versions applied twice").isZero();

        given().when().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Database schema' }.data.applied", equalTo(expected));
    }

    private static void twoMigrationsAtOnce() {
        Config config = ConfigProvider.getConfig();
        Map<String, String> suite = new HashMap<>();
        for (String key : List.of("suite.pg.host", "suite.pg.port", "suite.pg.ca-file", "suite.pg.auth-owner.password")) {
            suite.put(key, config.getValue(key, String.class));
        }
        CompletableFuture<?>[] runs = { CompletableFuture.runAsync(() -> Migrations.migrate("auth", suite)),
                CompletableFuture.runAsync(() -> Migrations.migrate("auth", suite)) };
        CompletableFuture.allOf(runs).join(); // throws if either failed
    }

    /** Independently of the service: the highest V<n>__ file in src/main/resources/db/migration. */
    private static String highestMigrationInTheSources() throws IOException {
        Pattern versioned = Pattern.compile("V(\\d+)__.*\\.sql");
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            int highest = files.map(f -> versioned.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
            assertThat(highest).as("the test leaves the database at V5: the build must expect more").isGreaterThan(5);
            return String.valueOf(highest);
        }
    }
}
