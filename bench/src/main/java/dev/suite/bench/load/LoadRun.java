package dev.suite.bench.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;

/** One closed-loop run: the phases (warm-up, measure, drain) and what was recorded in the measured window. */
final class LoadRun {

    private static final int MAX_SAMPLE_ERRORS = 5;
    // Long enough for a login queued behind 32 others at cost 12 on a slow machine; a timeout counts as an error.
    private static final long REQUEST_TIMEOUT_MS = 30_000;

    private final HttpClient client;
    private final int concurrency;
    private final Vertx vertx;
    // Microseconds, up to a minute, 3 significant digits: a recorder lets event loops write without locks.
    private final Recorder latencies = new Recorder(TimeUnit.MINUTES.toMicros(1), 3);
    private final LongAdder ok = new LongAdder();
    private final LongAdder errors = new LongAdder();
    // Error kinds (ids masked) and how often each came; a few kinds are enough to start debugging.
    private final Map<String, LongAdder> sampleErrors = new ConcurrentHashMap<>();
    private final AtomicInteger loops = new AtomicInteger();
    private final CompletableFuture<LoadResult> result = new CompletableFuture<>();
    private volatile boolean measuring;
    private volatile boolean stopping;
    private long measureStart;
    private long measureEnd;

    LoadRun(Vertx vertx, HttpClient client, int concurrency, Duration warmup, Duration measure) {
        this.vertx = vertx;
        this.client = client;
        this.concurrency = concurrency;
        loops.set(concurrency);
        vertx.setTimer(Math.max(1, warmup.toMillis()), id -> {
            latencies.reset();
            measureStart = System.nanoTime();
            measuring = true;
            vertx.setTimer(Math.max(1, measure.toMillis()), id2 -> {
                measuring = false;
                measureEnd = System.nanoTime();
                stopping = true;
            });
        });
    }

    CompletableFuture<LoadResult> result() {
        return result;
    }

    /** Starts one connection's loop on an event loop of its own choosing (round robin over the loops). */
    void loop(Session session) {
        vertx.runOnContext(v -> send(session));
    }

    private void send(Session session) {
        if (stopping) {
            if (loops.decrementAndGet() == 0) {
                finish();
            }
            return;
        }
        Request request = session.next();
        long started = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.path())
                .setIdleTimeout(REQUEST_TIMEOUT_MS);
        client.request(options).compose(http -> send(http, request))
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)))
                .onComplete(outcome -> {
                    long micros = (System.nanoTime() - started) / 1_000;
                    Answer answer = outcome.succeeded() ? outcome.result()
                            : new Answer(0, Buffer.buffer(String.valueOf(outcome.cause())));
                    boolean success = answer.status >= 200 && answer.status < 300;
                    if (request.counted() && measuring) {
                        latencies.recordValue(Math.min(micros, TimeUnit.MINUTES.toMicros(1)));
                        (success ? ok : errors).increment();
                    }
                    if (!success) {
                        sample(answer);
                    }
                    try {
                        session.answered(request, outcome.succeeded() ? answer.status : 0, outcome.succeeded() ? answer.body : null);
                    } catch (RuntimeException e) {
                        sample(new Answer(-1, Buffer.buffer("session failed: " + e)));
                    }
                    send(session);
                });
    }

    private static Future<io.vertx.core.http.HttpClientResponse> send(HttpClientRequest http, Request request) {
        request.headers().forEach(http::putHeader);
        return request.body() == null ? http.send() : http.send(request.body());
    }

    /** The first few distinct kinds of failure and their counts (all answers, warm-up included). */
    private void sample(Answer answer) {
        String body = answer.body == null ? "" : answer.body.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ")
                .replaceAll("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(-\\d+)?", "<id>");
        String text = (answer.status == 0 ? "I/O error" : "HTTP " + answer.status) + ": "
                + body.substring(0, Math.min(body.length(), 200));
        LongAdder count = sampleErrors.get(text);
        if (count == null && sampleErrors.size() < MAX_SAMPLE_ERRORS) {
            count = sampleErrors.computeIfAbsent(text, t -> new LongAdder());
        }
        if (count != null) {
            count.increment();
        }
    }

    private void finish() {
        Histogram histogram = latencies.getIntervalHistogram();
        double seconds = (measureEnd - measureStart) / 1e9;
        boolean empty = histogram.getTotalCount() == 0;
        List<String> kinds = sampleErrors.entrySet().stream().map(e -> e.getValue().sum() + "x " + e.getKey()).toList();
        result.complete(new LoadResult(concurrency, ok.sum(), errors.sum(), seconds,
                empty ? 0 : histogram.getValueAtPercentile(50) / 1000.0,
                empty ? 0 : histogram.getValueAtPercentile(99) / 1000.0, kinds));
    }

    private record Answer(int status, Buffer body) {
    }
}
