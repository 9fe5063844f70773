package dev.suite.service.secrets;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.credentials.CredentialsProvider;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;

/**
 * Refuses to start without every secret (all three services, %prod). Needed because an Optional setting (the pepper,
 * the Redis password) whose Vault key is missing would otherwise just be empty; and because database credentials are
 * otherwise first asked for on the first connection. Each name in {@code suite.required-secrets} must resolve
 * (a missing Vault key fails with "Could not expand value &lt;key&gt; in property &lt;name&gt;"), and the credentials
 * provider of the datasource, if any, must hand out credentials now.
 */
@ApplicationScoped
class RequiredSecrets {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, Config config,
            @ConfigProperty(name = "suite.required-secrets") Optional<List<String>> names,
            @ConfigProperty(name = "quarkus.datasource.credentials-provider") Optional<String> databaseCredentials,
            Instance<CredentialsProvider> providers) {
        for (String name : names.orElse(List.of())) {
            config.getValue(name, String.class); // throws, naming the property and the missing key, if absent or empty
        }
        databaseCredentials.ifPresent(provider -> {
            Map<String, String> credentials = providers.get().getCredentials(provider);
            if (credentials == null || credentials.get(CredentialsProvider.PASSWORD_PROPERTY_NAME) == null) {
                throw new IllegalStateException("Credentials provider " + provider + " returned no database password");
            }
        });
    }
}
