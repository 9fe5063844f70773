package dev.suite.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * A closed-loop HTTP load generator on Vert.x: N keep-alive HTTP/1.1 connections, each sending its next request
 * only when the previous one answered, so the offered load adapts to the server and latency is the server's
 * (plus loopback), not a queue inside the generator. Few event loops: on a 2-core machine it shares the CPU with
 * the services it measures.
 */
public final class LoadGenerator implements AutoCloseable {

    private final Vertx vertx;

    public LoadGenerator(int eventLoops) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
    }

    /**
     * Starts a run: warm-up (answers not recorded), then the measured window, then it stops sending and
     * completes when the last in-flight request answered. {@code caFile} non-null means HTTPS trusting that CA.
     */
    public CompletableFuture<LoadResult> start(String baseUrl, Path caFile, int concurrency, IntFunction<Session> sessions,
            Duration warmup, Duration measure) {
        HttpClient client = client(URI.create(baseUrl), caFile, concurrency);
        LoadRun run = new LoadRun(vertx, client, concurrency, warmup, measure);
        for (int i = 0; i < concurrency; i++) {
            run.loop(sessions.apply(i));
        }
        return run.result().whenComplete((result, failure) -> client.close());
    }

    /** Blocking convenience for one run. */
    public LoadResult run(String baseUrl, Path caFile, int concurrency, IntFunction<Session> sessions, Duration warmup,
            Duration measure) {
        return start(baseUrl, caFile, concurrency, sessions, warmup, measure).join();
    }

    private HttpClient client(URI base, Path caFile, int concurrency) {
        HttpClientOptions options = new HttpClientOptions().setDefaultHost(base.getHost()).setDefaultPort(base.getPort())
                .setKeepAlive(true).setPipelining(false).setTcpNoDelay(true).setConnectTimeout(5_000);
        // The scheme decides: the gateway's HTTPS port and the services (internal TLS) are https, the gateway's plain port not.
        if ("https".equals(base.getScheme())) {
            if (caFile == null) {
                throw new IllegalArgumentException(base + " is https: which CA vouches for it?");
            }
            options.setSsl(true).setVerifyHost(true).setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
        }
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(concurrency));
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
