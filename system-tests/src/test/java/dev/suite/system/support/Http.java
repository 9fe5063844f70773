package dev.suite.system.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain HTTP(S) calls with a bound on every wait, so a hang shows as a failure. Every answer is also kept (the
 * last few thousand) for {@code LeakScanTest}, which scans what all tests of the JVM received.
 */
public final class Http {

    public static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int KEPT = 5000;
    private static final Deque<Answer> SEEN = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger SEEN_COUNT = new AtomicInteger();

    private static final HttpClient CLIENT = HttpClient.newBuilder().sslContext(Tls.context())
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private Http() {
    }

    public static HttpClient client() {
        return CLIENT;
    }

    public static Answer send(String method, String url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return keep(answerOf(response, started));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + url + " failed after "
                    + (System.nanoTime() - started) / 1_000_000 + " ms: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Answer send(String method, String url, Map<String, String> headers, String jsonBody) {
        Map<String, String> all = new HashMap<>(headers);
        if (jsonBody != null) {
            all.putIfAbsent("Content-Type", "application/json");
        }
        return send(method, url, all, jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    public static Answer get(String url) {
        return send("GET", url, Map.of(), (byte[]) null);
    }

    static Answer answerOf(HttpResponse<byte[]> response, long started) {
        Map<String, List<String>> headers = new HashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return new Answer(response.statusCode(), headers, new String(response.body(), StandardCharsets.UTF_8),
                (System.nanoTime() - started) / 1_000_000);
    }

    public static Answer keep(Answer answer) {
        SEEN.addLast(answer);
        if (SEEN_COUNT.incrementAndGet() > KEPT) {
            SEEN.pollFirst();
            SEEN_COUNT.decrementAndGet();
        }
        return answer;
    }

    /** The answers received so far in this JVM (at most the last {@value #KEPT}). */
    public static List<Answer> seen() {
        return List.copyOf(SEEN);
    }
}
