package dev.suite.system.support;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vertx.core.json.JsonObject;

/** One HTTP answer as the tests look at it: status, headers (lower-case names), body text and how long it took. */
public record Answer(int status, Map<String, List<String>> headers, String body, long millis) {

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String contentType() {
        return header("content-type").orElse("");
    }

    public boolean isProblem() {
        return contentType().startsWith("application/problem+json");
    }

    public JsonObject json() {
        return new JsonObject(body);
    }

    @Override
    public String toString() {
        return status + " " + contentType() + " (" + millis + " ms) " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
}
