package dev.suite.gateway.csrf;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.suite.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Signed CSRF tokens: {@code v1.<binding>.<expiry>.<hmac>}, the binding being {@code sid-<session id>} after
 * login or {@code pre-<random nonce>} before it. Only the gateway can make one (HMAC key), a token works only
 * for the session it was bound to, and it expires.
 */
@ApplicationScoped
public class CsrfTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** What a valid token was bound to. */
    public record Binding(String sessionId, boolean preLogin) {
    }

    private final SecretKeySpec key;
    private final long lifetimeSeconds;

    CsrfTokens(GatewayConfig config) {
        if (config.csrfKey().length() < 32) {
            throw new IllegalStateException("gateway.csrf-key must be at least 32 characters of secret");
        }
        this.key = new SecretKeySpec(config.csrfKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.lifetimeSeconds = config.csrfLifetime().toSeconds();
    }

    public long lifetimeSeconds() {
        return lifetimeSeconds;
    }

    public String forSession(String sessionId) {
        return sign("sid-" + sessionId);
    }

    public String preLogin() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return sign("pre-" + B64.encodeToString(nonce));
    }

    /** The binding of a genuine, unexpired token; null otherwise. */
    public Binding verify(String token) {
        if (token == null || token.length() > 300) {
            return null;
        }
        String[] parts = token.split("\\.");
        if (parts.length != 4 || !"v1".equals(parts[0])) {
            return null;
        }
        byte[] expected = mac(parts[0] + "." + parts[1] + "." + parts[2]);
        byte[] actual;
        long expiry;
        try {
            actual = Base64.getUrlDecoder().decode(parts[3]);
            expiry = Long.parseLong(parts[2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!MessageDigest.isEqual(expected, actual) || Instant.now().getEpochSecond() > expiry) {
            return null;
        }
        String binding = parts[1];
        if (binding.startsWith("sid-")) {
            return new Binding(binding.substring(4), false);
        }
        return binding.startsWith("pre-") ? new Binding(null, true) : null;
    }

    private String sign(String binding) {
        String body = "v1." + binding + "." + (Instant.now().getEpochSecond() + lifetimeSeconds);
        return body + "." + B64.encodeToString(mac(body));
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
