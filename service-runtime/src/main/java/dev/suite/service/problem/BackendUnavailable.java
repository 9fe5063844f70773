package dev.suite.service.problem;

import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLException;

/**
 * Recognises a failure that means "a server we depend on is not answering right now" (PostgreSQL restarting, a
 * connection refused, reset or cut mid-TLS, the pool unable to connect), so the answer is a 503 the client may retry, not a 500. Checked by
 * name, not type: service-runtime serves services with and without a database client.
 */
final class BackendUnavailable {

    private static final Set<String> CONNECTION_FAILURES = Set.of("io.vertx.sqlclient.ClosedConnectionException",
            "io.vertx.core.http.ConnectionPoolTooBusyException", "io.vertx.sqlclient.impl.pool.PoolClosedException",
            "io.netty.channel.ConnectTimeoutException");

    /**
     * vertx-sql-client's failures that carry no type of their own, only a message (a bare NoStackTraceThrowable or
     * VertxException): a command given to a connection the server just closed, the commands queued on it when it
     * closed, no pooled connection within the acquisition timeout, and a new connection that the server closed in
     * answer to its SSLRequest, as a PostgreSQL that is shutting down does (a switchover, a restart). Logins racing cut
     * connections answered 500 with the first (QueryCutByDatabaseTest; once in a CI run of PostgresRestartTest), the
     * switchover rehearsal with the last.
     */
    private static final List<String> SQL_CLIENT_CONNECTION_MESSAGES = List.of("Connection is not active now",
            "Pending requests failed to be sent due to connection has been closed", "Timeout waiting for connection",
            "SSL handshake failed");

    private BackendUnavailable() {
    }

    /** How many throwables of one failure are looked at, at most (causes and suppressed ones together). */
    private static final int MAX_LOOKED_AT = 32;

    /**
     * Whether a connection failure is anywhere in {@code failure}: its causes, and the failures suppressed along the
     * way, which is where a second failure ends up. Mutiny's CompositeException keeps all but its first failure as
     * suppressed ones, and Hibernate Reactive reports a connection that closed mid-transaction as an
     * IllegalStateException ("live transaction detected" on close) with the failed rollback, the connection loss, only
     * suppressed in it.
     */
    static boolean causedBy(Throwable failure) {
        Deque<Throwable> toLookAt = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        toLookAt.add(failure);
        while (!toLookAt.isEmpty() && seen.size() < MAX_LOOKED_AT) {
            Throwable t = toLookAt.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (isConnectionFailure(t)) {
                return true;
            }
            if (t.getCause() != null) {
                toLookAt.add(t.getCause());
            }
            toLookAt.addAll(Arrays.asList(t.getSuppressed()));
        }
        return false;
    }

    private static boolean isConnectionFailure(Throwable t) {
        return t instanceof ConnectException || t instanceof SocketException || t instanceof SSLException || t instanceof ClosedChannelException
                || CONNECTION_FAILURES.contains(t.getClass().getName()) || isConnectionSqlState(t) || isSqlClientConnectionLoss(t);
    }

    private static boolean isSqlClientConnectionLoss(Throwable t) {
        String name = t.getClass().getName();
        if (!name.equals("io.vertx.core.impl.NoStackTraceThrowable") && !name.equals("io.vertx.core.VertxException")) {
            return false;
        }
        String message = String.valueOf(t.getMessage());
        return SQL_CLIENT_CONNECTION_MESSAGES.stream().anyMatch(message::startsWith);
    }

    /**
     * SQLSTATE class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now),
     * from the driver's PgException or from the {@code SQLException} Hibernate Reactive makes of it: that one keeps the
     * state but not the PgException (a login's query cut by a restarting PostgreSQL answered 500 that way).
     */
    private static boolean isConnectionSqlState(Throwable t) {
        String state = t instanceof SQLException sql ? sql.getSQLState() : pgSqlState(t);
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private static String pgSqlState(Throwable t) {
        if (!t.getClass().getName().equals("io.vertx.pgclient.PgException")) {
            return null;
        }
        try {
            Method sqlState = t.getClass().getMethod("getSqlState");
            return String.valueOf(sqlState.invoke(t));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
