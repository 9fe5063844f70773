package dev.suite.service.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.CompositeException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;

/** Which failures answer a 503 the client may retry (a backing server away) rather than a 500. */
class BackendUnavailableTest {

    @Test
    void aPostgresServerThatClosesTheConnectionBeforeTlsBeginsIsUnavailableNotAnError() {
        // What vertx-pg-client fails a new connection with when the server closes it in answer to its SSLRequest, as a
        // PostgreSQL that is shutting down does: seen as a 500 during the switchover rehearsal (PostgresSwitchoverTest).
        assertThat(BackendUnavailable.causedBy(new RuntimeException(new VertxException("SSL handshake failed", true)))).isTrue();
        assertThat(BackendUnavailable.causedBy(new ConnectException("Connection refused"))).isTrue();
    }

    @Test
    void aConnectionSqlStateIsUnavailableWhetherTheDriverOrHibernateReportsIt() {
        // Hibernate Reactive turns the driver's PgException into a new SQLException with its SQLSTATE and no cause, and
        // Hibernate's converter wraps that (GenericJDBCException for 57P01): a query cut by a restart answered 500.
        assertThat(BackendUnavailable.causedBy(new GenericJdbcLike(new SQLException("terminating connection due to administrator command", "57P01"))))
                .isTrue();
        assertThat(BackendUnavailable.causedBy(new GenericJdbcLike(new SQLException("connection failure", "08006")))).isTrue();
        assertThat(BackendUnavailable.causedBy(new GenericJdbcLike(new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(BackendUnavailable.causedBy(new GenericJdbcLike(new SQLException("no state")))).isFalse();
    }

    /** Hibernate's JDBCException is a RuntimeException around the SQLException; service-runtime has no Hibernate. */
    private static final class GenericJdbcLike extends RuntimeException {
        GenericJdbcLike(SQLException cause) {
            super("error executing SQL statement", cause);
        }
    }

    @Test
    void theSqlClientsMessageOnlyConnectionFailuresAreUnavailable() {
        // A login racing a cut connection: "Connection is not active now" (seen as a 500 in QueryCutByDatabaseTest),
        // wrapped by Hibernate Reactive as it reaches the mapper.
        assertThat(BackendUnavailable.causedBy(new RuntimeException(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"))))
                .isTrue();
        assertThat(BackendUnavailable.causedBy(new NoStackTraceThrowable("Pending requests failed to be sent due to connection has been closed.")))
                .isTrue();
        assertThat(BackendUnavailable.causedBy(new VertxException("Timeout waiting for connection", true))).isTrue();
        // The same words from anything but the SQL client's bare failures prove nothing.
        assertThat(BackendUnavailable.causedBy(new IllegalStateException("Connection is not active now"))).isFalse();
    }

    @Test
    void aConnectionLossThatIsOnlySuppressedIsUnavailableToo() {
        // Hibernate Reactive closing a session whose transaction is still open on a lost connection: an
        // IllegalStateException ("live transaction detected") with the failed rollback only suppressed in it.
        IllegalStateException liveTransaction = new IllegalStateException("HR000071: Live transaction detected while closing the connection");
        liveTransaction.addSuppressed(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"));
        assertThat(BackendUnavailable.causedBy(liveTransaction)).isTrue();
        // Mutiny's composite of a failure and its failed clean-up keeps the second as a suppressed one.
        assertThat(BackendUnavailable.causedBy(new CompositeException(new IllegalStateException("a bug"), new ConnectException("Connection refused"))))
                .isTrue();
        // A failure that refers to itself ends the walk.
        IllegalStateException loop = new IllegalStateException("a bug");
        RuntimeException wrapper = new RuntimeException(loop);
        loop.addSuppressed(wrapper);
        assertThat(BackendUnavailable.causedBy(wrapper)).isFalse();
    }

    @Test
    void otherVertxFailuresRemainUnexpected() {
        assertThat(BackendUnavailable.causedBy(new VertxException("Something else went wrong", true))).isFalse();
        assertThat(BackendUnavailable.causedBy(new IllegalStateException("a bug"))).isFalse();
    }
}
