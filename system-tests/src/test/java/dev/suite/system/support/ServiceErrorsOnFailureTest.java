package dev.suite.system.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The failure report keeps each ERROR entry whole (its stack trace too) and nothing else, from where the test began. */
class ServiceErrorsOnFailureTest {

    @Test
    void errorEntriesWithTheirStackTracesFromWhereTheTestBegan(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("suite-services.log");
        String before = "[auth-service] 08:42:48.600 ERROR [de.su.pr.Problem] (vert.x-eventloop-thread-0) Unexpected error [correlation-id=old]\n";
        Files.writeString(log, before
                + "[auth-service] 08:42:48.658 WARN  [de.su.se.pr.ProblemMapper] (vert.x-eventloop-thread-0) A backing server is unavailable\n"
                + "[auth-service] 08:42:48.700 ERROR [de.su.pr.Problem] (vert.x-eventloop-thread-0) Unexpected error [correlation-id=new]\n"
                + "[auth-service] org.hibernate.exception.GenericJDBCException: error executing SQL statement\n"
                + "[auth-service] \tat org.hibernate.Thing.convert(Thing.java:1)\n"
                + "[user-service] 08:42:48.701 INFO  [io.quarkus] (main) user-service started\n");

        assertThat(ServiceErrorsOnFailure.errorEntries(log, before.length())).containsExactly(
                "[auth-service] 08:42:48.700 ERROR [de.su.pr.Problem] (vert.x-eventloop-thread-0) Unexpected error [correlation-id=new]",
                "[auth-service] org.hibernate.exception.GenericJDBCException: error executing SQL statement",
                "[auth-service] \tat org.hibernate.Thing.convert(Thing.java:1)");
    }

    @Test
    void theDigestKeepsTheEntriesAndTheirCausesButNotTheFrames() {
        assertThat(ServiceErrorsOnFailure.withoutFrames(java.util.List.of(
                "[user-service] 15:58:01.100 ERROR [de.su.pr.Problem] (vert.x-eventloop-thread-0) Unexpected error [correlation-id=x]",
                "[user-service] java.lang.IllegalStateException: boom",
                "[user-service] \tat io.vertx.Thing.run(Thing.java:1)",
                "[user-service] Caused by: io.vertx.pgclient.PgException: FATAL: something (57P99)",
                "[user-service] \t... 12 more"))).containsExactly(
                "[user-service] 15:58:01.100 ERROR [de.su.pr.Problem] (vert.x-eventloop-thread-0) Unexpected error [correlation-id=x]",
                "[user-service] java.lang.IllegalStateException: boom",
                "[user-service] Caused by: io.vertx.pgclient.PgException: FATAL: something (57P99)");
    }
}
