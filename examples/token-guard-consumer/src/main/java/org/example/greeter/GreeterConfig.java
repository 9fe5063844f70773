package org.example.greeter;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the greeter reaches the suite as a client of its own (application.properties, prefix greeter). */
@ConfigMapping(prefix = "greeter")
public interface GreeterConfig {

    /** The auth service, which issues service tokens to registered clients. */
    String authUrl();

    String userServiceUrl();

    /** The suite's CA (a PEM file), the only one trusted for the auth service and the user service. */
    String caFile();

    /** The client registered with the auth service: its id, and the secret both sides hold. */
    String clientId();

    String clientSecret();

    /** How long a call to the suite may take before the greeter gives up on it. */
    @WithDefault("PT3S")
    Duration timeout();
}
