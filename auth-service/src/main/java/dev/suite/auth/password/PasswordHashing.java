package dev.suite.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Hashes and verifies passwords. Stored form: {@code $sv1$<pepper id or none>$<algorithm's own string>}, or for a
 * hash imported from another system {@code $imp1$...} ({@link ImportedHashes}), which always needs a rehash.
 *
 * <p>Every character counts: the password's full UTF-8 bytes go through HMAC-SHA256 (keyed with the pepper
 * when one is configured) and the algorithm hashes that 44-character base64 digest, so bcrypt's 72-byte limit
 * never truncates anything and NUL bytes cannot cut the input short.
 */
@ApplicationScoped
public class PasswordHashing {

    private static final Logger LOG = Logger.getLogger(PasswordHashing.class);
    private static final String PREFIX = "$sv1$";
    private static final String NO_PEPPER = "none";
    private static final byte[] PUBLIC_PREHASH_KEY = "suite-password-prehash-v1".getBytes(StandardCharsets.UTF_8);

    /** The outcome of a verification: whether it matched and whether the stored hash should be replaced. */
    public record Verification(boolean matches, boolean needsRehash) {
    }

    private final HashingPool pool;
    private final PasswordHasher current;
    private final List<PasswordHasher> readers;
    private final byte[] pepper;
    private final String pepperId;
    private volatile String decoy;

    PasswordHashing(PasswordConfig config, HashingPool pool) {
        this.pool = pool;
        BcryptHasher bcrypt = new BcryptHasher(config.bcryptCost());
        ScryptHasher scrypt = new ScryptHasher(config.scrypt().logN(), config.scrypt().r(), config.scrypt().p());
        Argon2idHasher argon2 = new Argon2idHasher(config.argon2().memoryKib(), config.argon2().iterations(),
                config.argon2().parallelism());
        this.current = switch (config.algorithm()) {
            case BCRYPT -> bcrypt;
            case SCRYPT -> scrypt;
            case ARGON2ID -> argon2;
        };
        this.readers = List.of(bcrypt, scrypt, argon2);
        this.pepper = config.pepper().map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.pepperId = pepper == null ? NO_PEPPER : config.pepperId();
        if (config.algorithm() == PasswordConfig.Algorithm.BCRYPT && config.bcryptCost() < 10) {
            LOG.warnf("bcrypt cost %d is below OWASP's floor of 10: acceptable for tests only", config.bcryptCost());
        }
    }

    /** A new hash, on the hashing pool, accounted to {@code owners} (see {@link HashingPool}). */
    public Uni<String> hash(String password, List<String> owners) {
        return pool.run(owners, () -> hashNow(password));
    }

    /** Call through {@link PasswordCheck}, which throttles guesses before this hashing work. */
    Uni<Verification> verify(String password, String stored, List<String> owners) {
        return pool.run(owners, () -> verifyNow(password, stored));
    }

    /**
     * The same work a verification of a real account costs, for logins with an unknown email, so that timing
     * does not tell whether an account exists. Always answers "no match".
     */
    Uni<Verification> verifyAgainstDecoy(String password, List<String> owners) {
        return pool.run(owners, () -> {
            verifyNow(password, decoy());
            return new Verification(false, false);
        });
    }

    String hashNow(String password) {
        return PREFIX + pepperId + "$" + current.hash(prehash(password, pepper));
    }

    Verification verifyNow(String password, String stored) {
        if (stored != null && ImportedHashes.isImported(stored)) {
            // Another system's hash (an import): replaced by the configured algorithm at the first sign-in that matches.
            boolean matches = ImportedHashes.verify(password, stored);
            return new Verification(matches, matches);
        }
        if (stored == null || !stored.startsWith(PREFIX)) {
            return new Verification(false, false);
        }
        int end = stored.indexOf('$', PREFIX.length());
        String storedPepperId = stored.substring(PREFIX.length(), end);
        String encoded = stored.substring(end + 1);
        byte[] key;
        if (NO_PEPPER.equals(storedPepperId)) {
            key = null;
        } else if (storedPepperId.equals(pepperId)) {
            key = pepper;
        } else {
            LOG.warnf("A stored hash names pepper '%s', which is not configured; it cannot be verified", storedPepperId);
            return new Verification(false, false);
        }
        for (PasswordHasher hasher : readers) {
            if (hasher.reads(encoded)) {
                boolean matches = hasher.verify(prehash(password, key), encoded);
                boolean outdated = hasher != current || !current.isCurrent(encoded) || !storedPepperId.equals(pepperId);
                return new Verification(matches, matches && outdated);
            }
        }
        return new Verification(false, false);
    }

    private String decoy() {
        if (decoy == null) {
            decoy = hashNow(UUID.randomUUID().toString());
        }
        return decoy;
    }

    private static byte[] prehash(String password, byte[] pepper) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper == null ? PUBLIC_PREHASH_KEY : pepper, "HmacSHA256"));
            byte[] digest = mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encode(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
