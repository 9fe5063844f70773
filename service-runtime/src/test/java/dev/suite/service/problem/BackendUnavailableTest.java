package dev.suite.service.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.vertx.core.VertxException;

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
    void otherVertxFailuresRemainUnexpected() {
        assertThat(BackendUnavailable.causedBy(new VertxException("Something else went wrong", true))).isFalse();
        assertThat(BackendUnavailable.causedBy(new IllegalStateException("a bug"))).isFalse();
    }
}
