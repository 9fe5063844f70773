package dev.suite.gateway;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** The auth service, e.g. https://auth-service.suite.svc:8081. */
    String authUrl();

    /** The user service, e.g. https://user-service.suite.svc:8082. */
    String userUrl();

    /**
     * The CA (a PEM file) that alone may vouch for the services behind the gateway: passwords and tokens cross this
     * hop, so a host with any other certificate, or with one for another name, gets no request.
     */
    String upstreamCaFile();

    /** Upstream calls that take longer end with 503, never a hang. */
    @WithDefault("PT5S")
    Duration upstreamTimeout();

    /**
     * Keep-alive connections to each service. Vert.x's default of 5 let only five calls be in flight at once, so at
     * 32 concurrent clients the rest queued in the gateway: a quarter of the direct read rate in make bench.
     */
    @WithDefault("64")
    int upstreamConnections();

    /** Largest request body accepted; larger ones get 413. */
    @WithDefault("65536")
    int maxBodyBytes();

    /** HMAC key that signs CSRF tokens (a secret from the secrets source). */
    String csrfKey();

    @WithDefault("PT12H")
    Duration csrfLifetime();

    /** Plain-HTTP requests (other than health checks) are redirected to this HTTPS port. Empty: serve HTTP too. */
    Optional<Integer> redirectToHttpsPort();

    /** Built SPA to serve at / (spa/dist), when present. */
    Optional<String> spaDir();

    RateLimits rateLimits();

    interface RateLimits {
        /** Login, register and refresh requests per client IP per window. */
        @WithDefault("30")
        int authPerWindow();

        /** All requests per client IP per window. */
        @WithDefault("1200")
        int allPerWindow();

        @WithDefault("PT1M")
        Duration window();

        /** Redis must count a request within this, or it fails closed with 503 (as token-guard's revocation check). */
        @WithDefault("PT0.5S")
        Duration timeout();
    }
}
