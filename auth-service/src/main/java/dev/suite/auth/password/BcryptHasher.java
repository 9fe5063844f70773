package dev.suite.auth.password;

import java.nio.charset.StandardCharsets;

import at.favre.lib.crypto.bcrypt.BCrypt;

/** bcrypt ($2b$), the default. The 72-byte input limit never applies: the input is a 44-byte pre-hash. */
final class BcryptHasher implements PasswordHasher {

    private final int cost;

    BcryptHasher(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalStateException("auth.password.bcrypt-cost must be between 4 and 31 (OWASP's floor is 10)");
        }
        this.cost = cost;
    }

    @Override
    public String hash(byte[] secret) {
        return new String(BCrypt.with(BCrypt.Version.VERSION_2B).hash(cost, secret), StandardCharsets.US_ASCII);
    }

    @Override
    public boolean verify(byte[] secret, String encoded) {
        return BCrypt.verifyer().verify(secret, encoded.getBytes(StandardCharsets.US_ASCII)).verified;
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
