package dev.suite.service.secrets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.suite.keys.Pem;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Vault in the readiness report (%prod, where quarkus.vault.url is set). A service whose Vault goes away keeps serving:
 * it read its KV secrets at start and holds a database lease with time left, and quarkus-vault renews or replaces it
 * once Vault is back. So this check stays UP and says that the dependency is degraded ({@code "vault": "unreachable"},
 * since when) rather than taking every replica out of service at once; operators alert on the data.
 */
@Readiness
@ApplicationScoped
public class VaultReadiness implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Optional<String> url;
    private final Optional<String> caCert;
    private volatile HttpClient http;
    private volatile Instant unreachableSince;

    VaultReadiness(@ConfigProperty(name = "quarkus.vault.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.vault.tls.ca-cert") Optional<String> caCert) {
        this.url = url;
        this.caCert = caCert;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Vault").up();
        if (url.isEmpty()) {
            return response.withData("vault", "not used").build();
        }
        try {
            // sys/health answers without a token; any status means a Vault answered (503: sealed, 429: standby).
            int status = client().send(HttpRequest.newBuilder(URI.create(url.get() + "/v1/sys/health")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            unreachableSince = null;
            return response.withData("vault", status == 200 ? "reachable" : "answering " + status).build();
        } catch (IOException e) {
            Instant since = unreachableSince == null ? (unreachableSince = Instant.now()) : unreachableSince;
            return response.withData("vault", "unreachable").withData("since", since.toString())
                    .withData("serving", "on the secrets and database credentials held").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.withData("vault", "not checked").build();
        }
    }

    private HttpClient client() {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
            caCert.ifPresent(file -> builder.sslContext(trusting(Path.of(file))));
            http = builder.build();
        }
        return http;
    }

    private static SSLContext trusting(Path caCert) {
        try {
            byte[] der = Pem.read(Files.readString(caCert), Pem.CERTIFICATE);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("vault-ca", CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read Vault's CA certificate " + caCert, e);
        }
    }
}
