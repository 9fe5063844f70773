package dev.suite.auth.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.suite.auth.token.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The refresh token that replaces a used one is derived, not drawn: HMAC-SHA256 over the used token with a
 * server-side key. So a second use inside the grace window (two tabs refreshing at once) hands out the very
 * same successor, and the family never forks, while nobody without the server key can compute it from a
 * stolen token. The key is derived from the seed signing key, which every replica already shares.
 */
@ApplicationScoped
public class SuccessorTokens {

    private final SecretKeySpec key;

    SuccessorTokens(SigningKeys keys) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("refresh-successor-v1".getBytes(StandardCharsets.UTF_8));
            digest.update(keys.seed().privateKey().getEncoded());
            this.key = new SecretKeySpec(digest.digest(), "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String successorOf(String refreshToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(refreshToken.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
