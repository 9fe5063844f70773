package dev.suite.users.migration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.StaleSchemaStack;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * A pod of a new release that starts before the release's migration Job has run (issue 18, item 5): the users database
 * of its own stack is left at V3, older than this build. The service starts (its old tables are there) but stays out
 * of readiness, saying what it expects and what it found, while its database connection is fine; once the migrations
 * run (as the owner, as the Job would), it becomes ready.
 */
@QuarkusTest
@TestProfile(StaleSchemaReadinessTest.OlderSchema.class)
class StaleSchemaReadinessTest {

    public static class OlderSchema implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StaleSchemaStack.class, Map.of("database", "users", "target", "3")));
        }
    }

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @Inject
    Flyway flyway;

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

        flyway.migrate(); // what the release's migration Job does, as users_owner

        given().when().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Database schema' }.data.applied", equalTo(expected));
    }

    /** Independently of the service: the highest V<n>__ file in src/main/resources/db/migration. */
    private static String highestMigrationInTheSources() throws IOException {
        Pattern versioned = Pattern.compile("V(\\d+)__.*\\.sql");
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            int highest = files.map(f -> versioned.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
            assertThat(highest).as("the test leaves the database at V3: the build must expect more").isGreaterThan(3);
            return String.valueOf(highest);
        }
    }
}
