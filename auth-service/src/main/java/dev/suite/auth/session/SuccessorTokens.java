package dev.suite.auth.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.suite.auth.token.SeedKeys;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The refresh token that replaces a used one is derived, not drawn: HMAC-SHA256 over the used token with a
 * server-side key. So a second use inside the grace window (two tabs refreshing at once) hands out the very
 * same successor, and the family never forks, while nobody without the server key can compute it from a
 * stolen token. The key is derived from the seed, which every replica already shares; while the seed is being
 * replaced, a successor made under the previous seed is still recognised.
 */
@ApplicationScoped
public class SuccessorTokens {

    private static final String LABEL = "refresh-successor-v1";

    private final List<SecretKeySpec> keys;

    SuccessorTokens(SeedKeys seeds) {
        this.keys = seeds.accepted(LABEL).stream().map(derived -> new SecretKeySpec(derived.key(), "HmacSHA256")).toList();
    }

    /** The successor a rotation hands out now. */
    public String successorOf(String refreshToken) {
        return mac(keys.get(0), refreshToken);
    }

    /** Every successor the token may have been given: under the current seed first, then the previous one. */
    public List<String> possibleSuccessorsOf(String refreshToken) {
        return keys.stream().map(key -> mac(key, refreshToken)).toList();
    }

    private static String mac(SecretKeySpec key, String refreshToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(refreshToken.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
