package dev.suite.auth.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/**
 * An audit line carries its event's fields as fields of the line (the MDC, which %prod's JSON logs print), wherever it
 * is written: in a request, and in background work on an event loop's own context, where the mail outbox records
 * MAIL_SENT. There Quarkus's MDC puts each value into a new duplicated context that nothing reads again, and the line
 * went out with none of its fields (seen in a CI run of ProdRehearsalTest).
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class AuditLineFieldsTest {

    @Inject
    Vertx vertx;

    private final List<LogRecord> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ((ExtLogRecord) record).copyMdc(); // now, on the writing thread, as the console handler does
            lines.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        org.jboss.logmanager.Logger.getLogger("audit").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        org.jboss.logmanager.Logger.getLogger("audit").removeHandler(capture);
    }

    @Test
    void aLineWrittenOutsideAnyRequestCarriesItsFields() throws Exception {
        AuditEvent event = event("MAIL_SENT");
        on(vertx.getOrCreateContext(), () -> AuditLog.log(event));

        ExtLogRecord line = theLineOf(event);
        assertThat(line.getMdc("audit.event")).isEqualTo("MAIL_SENT");
        assertThat(line.getMdc("audit.account")).isEqualTo(event.accountId.toString());
        assertThat(line.getMdc("audit.detail")).isEqualTo(event.detail);
    }

    @Test
    void aLineWrittenInARequestKeepsTheRequestsFieldsAndLeavesNoneBehind() throws Exception {
        AuditEvent event = event("LOGIN_SUCCEEDED");
        Context request = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        CompletableFuture<String> after = new CompletableFuture<>();
        request.runOnContext(ignored -> {
            org.jboss.logging.MDC.put("traceId", "0af7651916cd43dd8448eb211c80319c");
            AuditLog.log(event);
            after.complete(String.valueOf(org.jboss.logging.MDC.get("audit.event")));
        });

        ExtLogRecord line = theLineOf(event);
        assertThat(line.getMdc("audit.event")).isEqualTo("LOGIN_SUCCEEDED");
        assertThat(line.getMdc("traceId")).as("the request's trace, still on the line").isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(after.get(5, TimeUnit.SECONDS)).as("the request's later lines do not inherit the event").isEqualTo("null");
    }

    private static AuditEvent event(String type) {
        AuditEvent event = new AuditEvent();
        event.occurredAt = Instant.now();
        event.type = type;
        event.accountId = UUID.randomUUID();
        event.detail = "EMAIL_VERIFICATION_LINK";
        return event;
    }

    private static void on(Context context, Runnable work) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            work.run();
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
    }

    private ExtLogRecord theLineOf(AuditEvent event) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (LogRecord line : lines) {
                if (line.getMessage() != null && line.getMessage().contains(event.accountId.toString())) {
                    return (ExtLogRecord) line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no audit line for " + event.accountId);
    }
}
