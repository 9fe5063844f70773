package dev.suite.launcher;

import java.util.Map;

/** Settings a run of the suite may change from the services' own, each for a reason a test or the bench has. */
public enum Tuning {

    /** Tests exercise other things than the hashing cost: bcrypt cost 4 instead of the production default. */
    FAST_HASHING(Map.of("AUTH_PASSWORD_BCRYPT_COST", "4")),

    /**
     * Every client comes from 127.0.0.1, so the per-address limits (tested on their own in the gateway's RateLimitTest
     * and the auth service's LoginThrottleIpTest) would answer 429 to a load run after a few hundred requests. They are
     * lifted; the per-account limits stay as they are.
     */
    ONE_CLIENT_ADDRESS(Map.of("AUTH_LOGIN_THROTTLE_IP_THRESHOLD", "1000000",
            "GATEWAY_RATE_LIMITS_AUTH_PER_WINDOW", "1000000000", "GATEWAY_RATE_LIMITS_ALL_PER_WINDOW", "1000000000")),

    /**
     * Key rotation in seconds instead of minutes, its rules kept: a next key is published 5 s before it may sign, and
     * every verifier refreshes the JWKS at least every 2 s (refresh 2 s, refetches at most once a second), less than
     * that, as production's 5 min and 10 s are less than its 10 min; each auth replica re-reads the shared ring every
     * 2 s. For the replicas test, which watches two rotations reach every replica and verifier.
     */
    QUICK_KEY_ROTATION(Map.of("AUTH_SIGNING_MIN_PRE_PUBLICATION", "PT5S", "AUTH_SIGNING_RELOAD_INTERVAL", "PT2S",
            "TOKEN_GUARD_JWKS_REFRESH_INTERVAL", "PT2S", "TOKEN_GUARD_JWKS_MIN_REFETCH_INTERVAL", "PT1S")),

    /**
     * A test machine busy with other builds can starve a cold process for longer than the 5 s timeouts of production:
     * quarkus-vault's (a service whose start-up read of its secrets times out exits) and the gateway's upstream calls
     * (the first request of a freshly started service interprets its queries and, in %prod, fetches its database user
     * from Vault). Production keeps its timeouts; tests of timeouts themselves do not use this.
     */
    PATIENT(Map.of("QUARKUS_VAULT_CONNECT_TIMEOUT", "60S", "QUARKUS_VAULT_READ_TIMEOUT", "60S",
            "GATEWAY_UPSTREAM_TIMEOUT", "30S")),

    /**
     * Redis must answer within 2 s instead of production's 0.5 s before a request fails closed with 503 (the revocation
     * check, the gateway's rate limits, the auth service's guess throttle and second-factor state). For the suite the
     * system tests share, which the fuzzing and load tests drive while the other lane of make test fills the machine:
     * there a revocation check starved past 0.5 s answered a fuzzed request 503, a failure of nothing the test is about.
     * The bound itself is tested with production's value (token-guard's SilentConnectionTest: a Redis that accepts
     * and never answers; RedisFailoverTest, on a suite of its own).
     */
    PATIENT_REDIS(Map.of("TOKEN_GUARD_REVOCATION_TIMEOUT", "PT2S", "GATEWAY_RATE_LIMITS_TIMEOUT", "PT2S",
            "AUTH_LOGIN_THROTTLE_TIMEOUT", "PT2S", "AUTH_SECOND_FACTOR_REDIS_TIMEOUT", "PT2S")),

    /**
     * Traces the share of requests production traces (the base kustomization's SUITE_TRACING_RATIO, which
     * TuningTest holds this to) instead of every request, as make run and the tests do so that every log line
     * carries its span. For the bench, which measures what production runs: recording a span for every request
     * cost the user service's verified read half its throughput (docs/performance.md).
     */
    PRODUCTION_TRACING(Map.of("SUITE_TRACING_RATIO", "0.05"));

    private final Map<String, String> environment;

    Tuning(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The settings, as environment variables the services' configuration maps onto its keys. */
    public Map<String, String> environment() {
        return environment;
    }
}
