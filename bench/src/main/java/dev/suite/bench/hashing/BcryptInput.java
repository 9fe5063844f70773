package dev.suite.bench.hashing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What the bench gives bcrypt: 44 base64 characters, the shape of what bcrypt really gets in the auth service (the
 * base64 of an HMAC-SHA256 of the password, PasswordHashing), without that HMAC's key, which is the service's own.
 * The shape is all a measurement or a comparison needs: bcrypt's work depends on the cost only, never on the key's
 * content or length, and on ASCII keys shorter than 72 bytes every implementation computes the same function (the
 * $2a$/$2b$/$2y$ variants differ only past 255 bytes or on non-ASCII bytes). So a random key of that shape costs what
 * a login's hash costs, and an implementation that verifies ours on it verifies the service's hashes too.
 */
public final class BcryptInput {

    private static final SecureRandom RANDOM = new SecureRandom();

    private BcryptInput() {
    }

    /** A fresh input of the pre-hash's shape: the base64 of 32 random bytes. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static byte[] bytes(String input) {
        return input.getBytes(StandardCharsets.US_ASCII);
    }
}
