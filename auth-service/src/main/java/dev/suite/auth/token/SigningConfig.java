package dev.suite.auth.token;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The seed signing key (EC P-256, PKCS#8 PEM) from the secrets source: the PEM itself ({@code key}, as Vault
 * delivers it) or a file ({@code key-file}, as the local stack writes it). It is the first current key of the
 * ring and the root of the key that encrypts the ring's private keys in the database. Both are read with
 * {@link dev.suite.keys.Pem} (through {@link EcKeys#fromPem}), the suite's one PEM reader.
 */
@ConfigMapping(prefix = "auth.signing")
public interface SigningConfig {

    Optional<String> key();

    Optional<Path> keyFile();

    /**
     * The seed being replaced, during a re-key only: what it sealed and derived is still read, and each replica
     * re-seals the ring under the new seed at start. Remove it once no ring key is sealed by it.
     */
    Optional<String> previousKey();

    Optional<Path> previousKeyFile();

    /** How long clients may cache the JWKS. */
    @WithDefault("PT5M")
    Duration jwksMaxAge();

    /** The current key is replaced automatically once it has signed for this long. */
    @WithDefault("P30D")
    Duration maxKeyAge();

    /**
     * A next key must have been published at least this long before it may sign, so that verifiers caching
     * the JWKS already hold it: at least the JWKS max-age, and longer than every verifier's token-guard
     * {@code jwks.refresh-interval} and {@code jwks.min-refetch-interval} (a verifier fetches no more often than the
     * latter, not even for an unknown kid: with a shorter pre-publication, ReplicasAcrossHostsTest saw every verifier
     * refuse the new key's tokens for seconds).
     */
    @WithDefault("PT10M")
    Duration minPrePublication();

    /** How often each replica re-reads the shared key ring. */
    @WithDefault("PT30S")
    Duration reloadInterval();
}
