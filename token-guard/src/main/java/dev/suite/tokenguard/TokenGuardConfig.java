package dev.suite.tokenguard;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything token-guard needs; a service usually sets only {@code jwks-url} and {@code service-name}. */
@ConfigMapping(prefix = "token-guard")
public interface TokenGuardConfig {

    /** Where the auth service publishes its public keys. */
    Optional<String> jwksUrl();

    /**
     * The {@code iss} every token must carry: the auth service's URL, where its discovery document, JWKS and
     * introspection endpoint are served ({@code <issuer>/.well-known/openid-configuration}). No default: a consumer
     * names the issuer it trusts, as every standard JWT library asks.
     */
    String issuer();

    /** The {@code aud} of user access tokens ({@code typ: at+jwt}). */
    @WithDefault("suite")
    String userAudience();

    /** This service's name: the {@code aud} a service token ({@code typ: svc+jwt}) must carry to be accepted here. */
    String serviceName();

    /** Token types accepted by this service. */
    @WithDefault("at+jwt")
    Set<String> acceptedTypes();

    /** Signature algorithms accepted; never {@code none}, never an HMAC. */
    @WithDefault("ES256")
    Set<String> algorithms();

    @WithDefault("PT30S")
    Duration clockSkew();

    /** The longest lifetime a token may have; revocation entries are kept this long (see RevocationStore). */
    @WithDefault("PT10M")
    Duration maxTokenLifetime();

    /** Tokens longer than this are refused before any parsing. */
    @WithDefault("8192")
    int maxTokenLength();

    /** Read the token from this cookie when the request has no Authorization header (the gateway's case). */
    Optional<String> cookieName();

    Jwks jwks();

    /**
     * How many verified tokens are remembered, so a token presented again skips the signature check (0: none).
     * Revocation is checked on every request regardless.
     */
    @WithDefault("10000")
    int verifiedCacheSize();

    Revocation revocation();

    interface Jwks {
        /**
         * Keys are refetched in the background when older than this (and a request comes), but never more often than
         * {@link #minRefetchInterval()}: the auth service's pre-publication of a next key must exceed both.
         */
        @WithDefault("PT5M")
        Duration refreshInterval();

        /** At most one refetch per this interval for an unknown {@code kid}: bogus kids cannot hammer the auth service. */
        @WithDefault("PT10S")
        Duration minRefetchInterval();

        @WithDefault("PT2S")
        Duration fetchTimeout();

        /**
         * The CA (a PEM file) that alone may vouch for the host of an https {@code jwks-url}: with it set, a JWKS served
         * under a certificate from any other CA (the JVM's public ones included) is refused, and the host name must
         * match. Unset: the JVM's default trust, for an issuer with a public certificate.
         */
        Optional<String> caFile();
    }

    interface Revocation {
        /** Only a benchmark turns this off, to measure what the check costs; the prod profile refuses to start without it. */
        @WithDefault("true")
        boolean enabled();

        /** Redis must answer within this, or the request fails closed with 503. */
        @WithDefault("PT0.5S")
        Duration timeout();

        /** Width of the time buckets that hold revoked ids. */
        @WithDefault("PT1M")
        Duration bucket();

        /**
         * Redis connections that carry the checks, each with any number in flight (PipelinedRedis), the event loops
         * spread over them. One carries the suite's services at their rate (make bench); more only help a service
         * with many event loops, whose TLS work on the one connection's loop would otherwise become the bottleneck.
         */
        @WithDefault("1")
        int connections();

        /**
         * Replicas that must hold a revocation before it is acknowledged (Redis {@code WAIT} after the write, on the
         * same connection). Redis replicates asynchronously: without this, a primary that fails right after answering
         * takes the revocation with it and a promoted replica honours the revoked token again. 0 (a single Redis)
         * waits for none; with a primary and replicas behind Sentinel set it to 1 or more. When fewer acknowledge
         * within {@link #timeout()} the revocation fails closed (503, the caller retries); the primary may still hold
         * it, which only ever revokes more.
         */
        @WithDefault("0")
        int replicas();

        /**
         * Also write and read the bucket names of the releases before the Cluster hash tag ({@code revoked:<bucket>}
         * beside {@code revoked:{buckets}:<bucket>}), so that during a rolling upgrade old and new replicas each honour
         * what the other revoked. A service that only checks may turn it off once every writer (the auth service) has
         * run this release for {@link TokenGuardConfig#maxTokenLifetime()} plus the clock skew; the auth service turns
         * it off last, once no service of an older release reads (other teams' too), and the old buckets can then go
         * ({@code revoked:[0-9]*}, {@code revoked:swept}). A Redis Cluster needs it off (refused at start otherwise).
         */
        @WithDefault("true")
        boolean legacyKeys();
    }
}
