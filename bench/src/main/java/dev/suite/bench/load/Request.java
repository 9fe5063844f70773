package dev.suite.bench.load;

import java.util.Map;

import io.vertx.core.http.HttpMethod;

/**
 * One request of a load run. {@code counted = false} marks housekeeping (a re-login after a broken refresh
 * chain): it is sent but neither timed nor counted.
 */
public record Request(HttpMethod method, String path, Map<String, String> headers, String body, boolean counted) {

    public static Request get(String path, Map<String, String> headers) {
        return new Request(HttpMethod.GET, path, headers, null, true);
    }

    public static Request postJson(String path, String json) {
        return new Request(HttpMethod.POST, path, Map.of("Content-Type", "application/json"), json, true);
    }

    /** An HTML form post, as OAuth's token endpoint takes it (RFC 6749 section 4.3). */
    public static Request postForm(String path, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(value)));
        return new Request(HttpMethod.POST, path, Map.of("Content-Type", "application/x-www-form-urlencoded"), body.toString(), true);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The same request with one more header. */
    public Request with(String header, String value) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put(header, value);
        return new Request(method, path, Map.copyOf(all), body, counted);
    }

    public Request uncounted() {
        return new Request(method, path, headers, body, false);
    }
}
