package dev.suite.auth.password;

import java.security.SecureRandom;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt ($2b$), the default. The 72-byte input limit never applies: the input is a 44-byte pre-hash.
 * Bouncy Castle's implementation: the fastest correct one of six on Maven Central, timed side by side by
 * {@code make bench} (docs/performance.md), and the library that already does scrypt and argon2id here.
 */
final class BcryptHasher implements PasswordHasher {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int cost;

    BcryptHasher(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalStateException("auth.password.bcrypt-cost must be between 4 and 31 (OWASP's floor is 10)");
        }
        this.cost = cost;
    }

    @Override
    public String hash(byte[] secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", secret, salt, cost);
    }

    @Override
    public boolean verify(byte[] secret, String encoded) {
        return OpenBSDBCrypt.checkPassword(encoded, secret);
    }

    @Override
    public boolean reads(String encoded) {
        return encoded.startsWith("$2a$") || encoded.startsWith("$2b$") || encoded.startsWith("$2y$");
    }

    @Override
    public boolean isCurrent(String encoded) {
        return encoded.startsWith("$2b$" + String.format("%02d", cost) + "$");
    }
}
