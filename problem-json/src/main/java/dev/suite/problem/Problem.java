package dev.suite.problem;

import java.util.Map;

/** An answer the client caused or may act on, rendered as application/problem+json by {@link ProblemMapper}. */
public class Problem extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, String> headers;

    public Problem(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public Problem(int status, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false); // no stack trace: this is an answer, not a bug
        this.status = status;
        this.title = title;
        this.headers = headers;
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

    /** The problem+json body, for code that writes responses itself (Vert.x routes). */
    public String toJson() {
        return ProblemMapper.json(status, title, getMessage());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
