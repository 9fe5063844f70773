package dev.suite.problem;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.vertx.core.json.JsonObject;

/**
 * An answer the client caused or may act on, or a failure on our side: always written as application/problem+json
 * with {@code status}, {@code title} and {@code detail}: by the suite services' JAX-RS mapper (service-runtime's
 * {@code ProblemMapper}), and by {@link ProblemResponses} for Vert.x routes and token-guard's own 401 and 503.
 * Every 5xx also carries a {@code correlationId}, the id its log line has.
 *
 * <p>A situation that occurs in more than one service or the gateway is answered by one factory here, so that it reads
 * the same wherever a client meets it: {@link #notSignedIn()}, {@link #notFound()}, {@link #methodNotAllowed},
 * {@link #unsupportedMediaType()}, {@link #notAcceptable()}, {@link #malformedJson()}, {@link #unexpectedJson()}.
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

    /** A 5xx is logged here, once, with the correlation id its body carries. */
    public Problem(int status, String title, String detail, Map<String, String> headers) {
        this(status, title, detail, headers, status >= 500 ? UUID.randomUUID().toString() : null);
        if (correlationId != null) {
            LOG.warnf("%d %s [correlation-id=%s]", status, detail, correlationId);
        }
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

    /** No credentials, or none that verify: the same words at the gateway, in every service and in token-guard. */
    public static Problem notSignedIn() {
        return unauthorized("Sign in first: this needs a valid session or access token.");
    }

    /** No route at this path (a missing record names itself instead, e.g. "No such user."). */
    public static Problem notFound() {
        return new Problem(404, "Not Found", "Nothing is served at this path.");
    }

    /**
     * {@code allow}: the methods the path does take, also sent as the Allow header; null when the router did not
     * say (RESTEasy Reactive's 405 names none), and then neither does the answer.
     */
    public static Problem methodNotAllowed(String allow) {
        return allow == null ? new Problem(405, "Method Not Allowed", "This path does not take that method.")
                : new Problem(405, "Method Not Allowed", "This path does not take that method; it takes " + allow + ".",
                        Map.of("Allow", allow));
    }

    public static Problem unsupportedMediaType() {
        return new Problem(415, "Unsupported Media Type", "Send the request body as JSON, with Content-Type: application/json.");
    }

    public static Problem notAcceptable() {
        return new Problem(406, "Not Acceptable", "The answer is JSON only: accept application/json.");
    }

    /** The body does not parse as JSON at all. */
    public static Problem malformedJson() {
        return badRequest("The request body is not valid JSON.");
    }

    /** The body is JSON, but not the shape this endpoint takes (a missing field, a wrong type). */
    public static Problem unexpectedJson() {
        return badRequest("The request body is JSON, but not the fields and types this endpoint takes.");
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
        return new Problem(500, "Internal Server Error", "Something went wrong on our side; quote the correlation id if you report it.",
                Map.of(), correlationId);
    }

    /** The id this answer's log line has; null below 500. */
    public String correlationId() {
        return correlationId;
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
            Map<String, String> all = new HashMap<>(headers);
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
