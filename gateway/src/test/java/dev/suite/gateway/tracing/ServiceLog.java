package dev.suite.gateway.tracing;

import java.time.Duration;
import java.time.Instant;

import dev.suite.fixtures.TestServices;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** The JSON log records a service started by {@link TestServices} wrote, read as on-call reads them. */
final class ServiceLog {

    private ServiceLog() {
    }

    /**
     * The MDC of the {@code audit} record of {@code event} whose MDC has {@code key} = {@code value}. The record is
     * written as the request is served, so it is there when the answer is; a short wait covers the log pipe.
     */
    static JsonObject auditRecord(String service, String event, String key, String value) {
        Instant until = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            for (String line : TestServices.log(service)) {
                JsonObject mdc = auditMdc(line);
                if (mdc != null && event.equals(mdc.getString("audit.event")) && value.equals(mdc.getString(key))) {
                    return mdc;
                }
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("No " + event + " audit record with " + key + "=" + value + " in " + service + "'s log");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static JsonObject auditMdc(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            JsonObject record = new JsonObject(line);
            return "audit".equals(record.getString("loggerName")) ? record.getJsonObject("mdc") : null;
        } catch (DecodeException notJson) {
            return null;
        }
    }
}
