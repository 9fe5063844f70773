package dev.suite.bench.hashing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What bcrypt really gets in the auth service (PasswordHashing, no pepper under make run): the base64 of
 * HMAC-SHA256(password), 44 ASCII characters. Hashing that here makes the bench's hashes cost what a login costs.
 */
public final class PreHash {

    private static final byte[] PUBLIC_PREHASH_KEY = "suite-password-prehash-v1".getBytes(StandardCharsets.UTF_8);

    private PreHash() {
    }

    public static String of(String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(PUBLIC_PREHASH_KEY, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
