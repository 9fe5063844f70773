package org.example.greeter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The greeter without the suite: these tests reach neither the auth service, the user service nor Redis (a token
 * that is not even a JWT is refused before any of them is asked), so every address is one where nothing listens.
 */
public class NoSuiteNeeded implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("quarkus.devservices.enabled", "false"),
                Map.entry("token-guard.issuer", "https://127.0.0.1:9"),
                Map.entry("token-guard.jwks-url", "https://127.0.0.1:9/.well-known/jwks.json"),
                // Never read: nothing here is fetched (a CA file is read when a connection is first made).
                Map.entry("token-guard.jwks.ca-file", "no-suite-ca.crt"),
                Map.entry("greeter.ca-file", "no-suite-ca.crt"),
                Map.entry("quarkus.redis.hosts", "rediss://127.0.0.1:9"),
                Map.entry("quarkus.tls.suite.trust-store.pem.certs", aCertificateNeverUsed()),
                Map.entry("quarkus.redis.password", "unused"),
                Map.entry("greeter.auth-url", "https://127.0.0.1:9"),
                Map.entry("greeter.user-service-url", "https://127.0.0.1:9"),
                Map.entry("greeter.client-secret", "unused"));
    }

    /**
     * The TLS registry reads its trust store's file at start, though no connection is ever made here: a PEM file of
     * one of the JVM's own CAs, written for this run (nothing here ever trusts it for anything).
     */
    private static String aCertificateNeverUsed() {
        try {
            KeyStore jvmCas = KeyStore.getInstance(KeyStore.getDefaultType());
            try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
                jvmCas.load(in, null);
            }
            Certificate any = jvmCas.getCertificate(jvmCas.aliases().nextElement());
            Path file = Files.createTempFile("never-used-ca", ".crt");
            file.toFile().deleteOnExit();
            String pemType = "CERTIFICATE";
            Files.writeString(file, "-----BEGIN " + pemType + "-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(any.getEncoded())
                    + "\n-----END " + pemType + "-----\n");
            return file.toString();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write a certificate for the TLS registry", e);
        }
    }
}
