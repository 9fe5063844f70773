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
     * A test machine busy with other builds can starve a cold process for longer than the 5 s timeouts of production:
     * quarkus-vault's (a service whose start-up read of its secrets times out exits) and the gateway's upstream calls
     * (the first request of a freshly started service interprets its queries and, in %prod, fetches its database user
     * from Vault). Production keeps its timeouts; tests of timeouts themselves do not use this.
     */
    PATIENT(Map.of("QUARKUS_VAULT_CONNECT_TIMEOUT", "60S", "QUARKUS_VAULT_READ_TIMEOUT", "60S",
            "GATEWAY_UPSTREAM_TIMEOUT", "30S"));

    private final Map<String, String> environment;

    Tuning(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The settings, as environment variables the services' configuration maps onto its keys. */
    public Map<String, String> environment() {
        return environment;
    }
}
