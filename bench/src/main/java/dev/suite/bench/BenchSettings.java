package dev.suite.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How long and how hard: system properties ({@code -Dbench.warmup=3s -Dbench.measure=15s}) or
 * {@code BENCH_QUICK=1} for a smoke run of about a minute that proves the harness, not the figures.
 * {@code -Dbench.keycloak-home=DIR} (make bench-peers): also measure the Keycloak distribution unpacked there;
 * its login runs at {@link #PEER_LOGIN_CONCURRENCY}, the suite's login concurrency that has a target, and the suite's
 * login then runs at that concurrency only.
 */
public record BenchSettings(Duration jitWarmup, Duration warmup, Duration measure, List<Integer> loginConcurrency, int refreshConcurrency,
        int readConcurrency, int floodConcurrency, Duration hashLimit, int hasherHashes, Duration profile,
        int eventLoops, boolean quick, Path keycloakHome) {

    public static final int PEER_LOGIN_CONCURRENCY = 8;

    public static BenchSettings fromEnvironment() {
        boolean quick = "1".equals(System.getenv("BENCH_QUICK")) || Boolean.getBoolean("bench.quick");
        Path keycloakHome = System.getProperty("bench.keycloak-home", "").isBlank() ? null : Path.of(System.getProperty("bench.keycloak-home"));
        // Beside the peer, only the login concurrency that has a target and a peer row: c=2 and c=32 (issue 8's
        // evidence that the ratio holds at any concurrency, 45 s of rows) are make bench's.
        List<Integer> loginConcurrency = keycloakHome == null ? List.of(2, PEER_LOGIN_CONCURRENCY, 32) : List.of(PEER_LOGIN_CONCURRENCY);
        return new BenchSettings(
                duration("bench.jit-warmup", quick ? "3s" : "40s"),
                // Only connections and queues to settle: the JIT warm-up before the rows already ran each path at its concurrency.
                duration("bench.warmup", quick ? "1s" : "3s"),
                duration("bench.measure", quick ? "3s" : "15s"),
                loginConcurrency,
                Integer.getInteger("bench.refresh-concurrency", 8),
                Integer.getInteger("bench.read-concurrency", 32),
                Integer.getInteger("bench.flood-concurrency", 8),
                duration("bench.hash-limit", quick ? "2s" : "8s"),
                Integer.getInteger("bench.hasher-hashes", quick ? 2 : 9),
                duration("bench.profile", quick ? "3s" : "10s"),
                Integer.getInteger("bench.event-loops", 2),
                quick,
                keycloakHome);
    }

    /** "15s", "500ms" or a plain number of seconds. */
    static Duration duration(String property, String fallback) {
        String text = System.getProperty(property, fallback).trim().toLowerCase();
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            text = text.substring(0, text.length() - 1);
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
    }

    public String window() {
        return "warm-up " + seconds(warmup) + ", measure " + seconds(measure);
    }

    public static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }
}
