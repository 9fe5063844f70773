package dev.suite.bench.load;

import io.vertx.core.buffer.Buffer;

/**
 * What one connection of a closed loop does: it sends {@link #next()}, waits for the answer, hands it to
 * {@link #answered}, and sends the next one. A session may carry state from one answer to the next request
 * (a refresh token chain).
 */
public interface Session {

    Request next();

    /** Called with every answer; status 0 and a null body on an I/O error. Runs on an event loop: no blocking. */
    default void answered(Request request, int status, Buffer body) {
    }

    /** A session that sends the same request again and again. */
    static Session repeating(Request request) {
        return () -> request;
    }
}
