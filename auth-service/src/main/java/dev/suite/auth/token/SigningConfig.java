package dev.suite.auth.token;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Signing keys (EC P-256, PKCS#8 PEM) from the secrets source: the PEM itself ({@code key}, as Vault delivers
 * it) or a file ({@code key-file}, as the local stack writes it). The previous key stays published until the
 * tokens it signed have expired; the next key is published before it signs anything.
 */
@ConfigMapping(prefix = "auth.signing")
public interface SigningConfig {

    Optional<String> key();

    Optional<Path> keyFile();

    Optional<String> previousKey();

    Optional<Path> previousKeyFile();

    Optional<String> nextKey();

    Optional<Path> nextKeyFile();

    /** How long clients may cache the JWKS. */
    @WithDefault("PT5M")
    Duration jwksMaxAge();
}
