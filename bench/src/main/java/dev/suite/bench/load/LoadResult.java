package dev.suite.bench.load;

import java.util.List;

/** The measured window of one load run. Latencies in milliseconds. */
public record LoadResult(int concurrency, long requests, long errors, double seconds, double p50Ms, double p99Ms,
        List<String> sampleErrors) {

    public double rps() {
        return seconds <= 0 ? 0 : requests / seconds;
    }
}
