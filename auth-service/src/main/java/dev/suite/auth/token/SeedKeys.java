package dev.suite.auth.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The seed: the secret EC key every replica gets from the secrets source. It was the ring's first signing key,
 * and every server-side secret of the auth service is derived from it by label (the key that seals the ring's
 * private keys, the refresh-successor key, the device-token key), so one Vault secret feeds them all.
 *
 * <p>The seed can be replaced without downtime: the new one goes into {@code auth.signing.key} and the one it
 * replaces into {@code auth.signing.previous-key}. New secrets are always derived from the current seed; what
 * the previous seed made (sealed ring keys, device tokens, successors in flight) is still read until the ring is
 * re-sealed and the previous seed removed (deploy/k8s/README.md, "A leaked seed").
 */
@ApplicationScoped
public class SeedKeys {

    /** A key derived from one seed, named by that seed's id (its thumbprint), which is not secret. */
    public record Derived(String seedId, byte[] key) {
    }

    private final SigningKeys.SigningKey current;
    private final Optional<SigningKeys.SigningKey> previous;

    SeedKeys(SigningConfig config) {
        this.current = EcKeys.fromPem(config.key().filter(p -> !p.isBlank()).or(() -> config.keyFile().map(SeedKeys::read))
                .orElseThrow(() -> new IllegalStateException("No signing key: set auth.signing.key or auth.signing.key-file")),
                "auth.signing.key");
        this.previous = config.previousKey().filter(p -> !p.isBlank()).or(() -> config.previousKeyFile().map(SeedKeys::read))
                .map(pem -> EcKeys.fromPem(pem, "auth.signing.previous-key"))
                .filter(key -> !key.kid().equals(current.kid()));
    }

    /** The current seed: the ring's first key when the ring is created. */
    public SigningKeys.SigningKey seed() {
        return current;
    }

    public String seedId() {
        return current.kid();
    }

    /** The key for {@code label} from the current seed: what new secrets are made with. */
    public Derived current(String label) {
        return derive(label, current);
    }

    /** The key for {@code label} from every seed still accepted, the current one first: what secrets are read with. */
    public List<Derived> accepted(String label) {
        List<Derived> keys = new ArrayList<>(2);
        keys.add(current(label));
        previous.ifPresent(seed -> keys.add(derive(label, seed)));
        return keys;
    }

    /** The id of the seed being replaced, or null. */
    public String previousSeedId() {
        return previous.map(SigningKeys.SigningKey::kid).orElse(null);
    }

    public boolean hasPrevious() {
        return previous.isPresent();
    }

    private static Derived derive(String label, SigningKeys.SigningKey seed) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(label.getBytes(StandardCharsets.UTF_8));
            digest.update(seed.privateKey().getEncoded());
            return new Derived(seed.kid(), digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the signing key file " + file, e);
        }
    }
}
