package dev.suite.problem;

import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.vertx.core.json.JsonObject;

/**
 * An answer the client caused or may act on, or an unexpected failure's generic 500: always written as
 * application/problem+json with {@code status}, {@code title}, {@code detail} (and {@code correlationId} for a 500,
 * the same id as in the log line), by {@link ProblemMapper} for JAX-RS and {@link ProblemResponses} for Vert.x routes.
 */
public class Problem extends RuntimeException {

    private static final Logger LOG = Logger.getLogger(Problem.class);

    private final int status;
    private final String title;
    private final Map<String, String> headers;
    private final String correlationId;

    public Problem(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public Problem(int status, String title, String detail, Map<String, String> headers) {
        this(status, title, detail, headers, null);
    }

    private Problem(int status, String title, String detail, Map<String, String> headers, String correlationId) {
        super(detail, null, false, false); // no stack trace: this is an answer, not a bug
        this.status = status;
        this.title = title;
        this.headers = headers;
        this.correlationId = correlationId;
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "Bad Request", detail);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "Unauthorized", detail);
    }

    public static Problem tooManyRequests(long retryAfterSeconds) {
        return new Problem(429, "Too Many Requests", "Too many attempts; try again later.",
                Map.of("Retry-After", String.valueOf(Math.max(1, retryAfterSeconds))));
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, "Service Unavailable", detail, Map.of("Retry-After", "1"));
    }

    /** A bug or an unforeseen failure: logged with its stack trace under a new correlation id, answered with only the id. */
    public static Problem unexpected(Throwable failure) {
        String correlationId = UUID.randomUUID().toString();
        LOG.errorf(failure, "Unexpected error [correlation-id=%s]", correlationId);
        return new Problem(500, "Internal Server Error", "Something went wrong on our side.", Map.of(), correlationId);
    }

    /** The problem+json body. */
    public String toJson() {
        JsonObject body = new JsonObject().put("status", status).put("title", title).put("detail", getMessage());
        if (correlationId != null) {
            body.put("correlationId", correlationId);
        }
        return body.encode();
    }

    /** The headers to send with it: its own (Retry-After), and the challenge every 401 carries. */
    public Map<String, String> headers() {
        if (status == 401 && !headers.containsKey("WWW-Authenticate")) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put("WWW-Authenticate", "Bearer");
            return all;
        }
        return headers;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
