package dev.suite.service.problem;

import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
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

    private BackendUnavailable() {
    }

    static boolean causedBy(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 12; t = t.getCause(), depth++) {
            if (t instanceof ConnectException || t instanceof SocketException || t instanceof SSLException || t instanceof ClosedChannelException
                    || CONNECTION_FAILURES.contains(t.getClass().getName()) || isConnectionSqlState(t) || isClosedBeforeTls(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * vertx-pg-client's failure (a bare VertxException, no cause) when the server closes a new connection in answer to
     * its SSLRequest, as a PostgreSQL that is shutting down does (a switchover, a restart).
     */
    private static boolean isClosedBeforeTls(Throwable t) {
        return t.getClass().getName().equals("io.vertx.core.VertxException") && "SSL handshake failed".equals(t.getMessage());
    }

    /** SQLSTATE class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now). */
    private static boolean isConnectionSqlState(Throwable t) {
        if (!t.getClass().getName().equals("io.vertx.pgclient.PgException")) {
            return false;
        }
        try {
            Method sqlState = t.getClass().getMethod("getSqlState");
            String state = String.valueOf(sqlState.invoke(t));
            return state.startsWith("08") || state.startsWith("57P");
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
