package dev.suite.auth.client;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The services allowed to get service tokens: a secret each (from the secrets source) and the audiences they may call. */
@ConfigMapping(prefix = "auth.client-credentials")
public interface ClientCredentialsConfig {

    Map<String, Client> clients();

    @WithDefault("PT5M")
    Duration tokenLifetime();

    interface Client {
        String secret();

        Set<String> audiences();
    }
}
