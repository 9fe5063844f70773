package dev.suite.gateway.ratelimit;

/** Which counters a route's requests go into (see {@link RateLimiter}). */
public enum Throttle {
    /** Every request's counter only. */
    GENERAL,
    /** Also the stricter one: the endpoints that take or spend credentials (login, register, refresh). */
    AUTH
}
