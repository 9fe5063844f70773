package dev.suite.service.secrets;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.credentials.CredentialsProvider;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;

/**
 * Database credentials from Vault that outlive a Vault outage (%prod: quarkus.datasource.credentials-provider-name).
 * quarkus-vault looks the lease up at Vault for every new connection and fails when Vault cannot be reached, although
 * the user it handed out stays valid until its lease ends: every new connection, and so every request once the pool
 * recycles its connections, would fail. This asks quarkus-vault first and, only when that fails, hands out the last
 * credentials while their lease has more than the connections' lifetime left, so that Vault never drops a user under a
 * connection opened here. Once Vault answers again, quarkus-vault renews or replaces the lease as usual.
 */
@ApplicationScoped
@Named(HeldDatabaseCredentials.NAME)
@Identifier(HeldDatabaseCredentials.NAME) // a qualifier: not a @Default CredentialsProvider next to quarkus-vault's
public class HeldDatabaseCredentials implements CredentialsProvider {

    public static final String NAME = "held-vault-credentials";
    private static final Logger LOG = Logger.getLogger(HeldDatabaseCredentials.class);

    private final Instance<CredentialsProvider> vault;
    private final Duration connectionLifetime;
    private final Map<String, Map<String, String>> held = new ConcurrentHashMap<>();

    /** Each time Vault did not hand out database credentials: a lease that cannot be renewed ends in an outage. */
    private final Counter vaultFailures;

    HeldDatabaseCredentials(@Named("vault-credentials-provider") Instance<CredentialsProvider> vault,
            @ConfigProperty(name = "quarkus.datasource.reactive.max-lifetime") Optional<Duration> connectionLifetime,
            MeterRegistry metrics) {
        this.vault = vault;
        this.connectionLifetime = connectionLifetime.orElse(Duration.ZERO);
        this.vaultFailures = Counter.builder("suite.vault.credentials.failures")
                .description("Database credentials Vault did not hand out (the held lease served instead, or the connection failed)")
                .register(metrics);
    }

    @Override
    public Map<String, String> getCredentials(String name) {
        try {
            Map<String, String> fresh = vault.get().getCredentials(name);
            held.put(name, fresh);
            return fresh;
        } catch (RuntimeException vaultFailed) {
            vaultFailures.increment();
            Map<String, String> last = held.get(name);
            if (last == null || !outlivesANewConnection(last)) {
                throw vaultFailed;
            }
            LOG.warnf("Vault did not answer (%s): the database user of the current lease, valid until %s, opens this connection",
                    vaultFailed.getClass().getSimpleName(), last.getOrDefault("expires-at", "its renewal"));
            return last;
        }
    }

    /** Static credentials (KV) carry no expiry; a lease's ("expires-at") must outlast a connection opened now. */
    private boolean outlivesANewConnection(Map<String, String> credentials) {
        String expiresAt = credentials.get("expires-at");
        return expiresAt == null || Instant.parse(expiresAt).isAfter(Instant.now().plus(connectionLifetime));
    }
}
