package dev.suite.auth.login;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.suite.auth.token.SeedKeys;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Device tokens (OWASP's "device cookies"): after a successful sign-in a browser gets a signed token naming the
 * account and a random device id; the gateway keeps it in an HttpOnly {@code __Host-device} cookie. Presented
 * with a later sign-in to the same account, it makes that browser a known device, whose guesses are counted on
 * their own: nobody else's wrong guesses at the account can lock it out. It grants nothing else.
 * Format: {@code dv1.<device id>.<expiry>.<HMAC-SHA256 over those and the account's email>}.
 */
@ApplicationScoped
public class DeviceTokens {

    @ConfigMapping(prefix = "auth.device")
    public interface Config {
        /** How long a browser stays a known device without signing in again. */
        @WithDefault("P90D")
        Duration lifetime();
    }

    /** A token handed to the browser, and when it stops counting. */
    public record Issued(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[expiresAt=" + expiresAt + "]";
        }
    }

    private static final String LABEL = "device-token-v1";
    private static final int LONGEST = 200;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final List<SecretKeySpec> keys;
    private final Duration lifetime;

    DeviceTokens(SeedKeys seeds, Config config) {
        this.keys = seeds.accepted(LABEL).stream().map(derived -> new SecretKeySpec(derived.key(), "HmacSHA256")).toList();
        this.lifetime = config.lifetime();
    }

    /** A token for this account, keeping the device id the browser already has (or a new one). */
    public Issued issue(String normalisedEmail, Optional<String> deviceId) {
        String id = deviceId.orElseGet(() -> {
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            return B64.encodeToString(nonce);
        });
        Instant expiresAt = Instant.now().plus(lifetime);
        String body = "dv1." + id + "." + expiresAt.getEpochSecond();
        return new Issued(body + "." + B64.encodeToString(mac(keys.get(0), body, normalisedEmail)), expiresAt);
    }

    /** The device id of a genuine, unexpired token issued for this account; empty for anything else. */
    public Optional<String> deviceId(String token, String normalisedEmail) {
        if (token == null || token.length() > LONGEST) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 4 || !"dv1".equals(parts[0]) || parts[1].isEmpty()) {
            return Optional.empty();
        }
        byte[] presented;
        long expiry;
        try {
            presented = Base64.getUrlDecoder().decode(parts[3]);
            expiry = Long.parseLong(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (Instant.now().getEpochSecond() > expiry) {
            return Optional.empty();
        }
        String body = parts[0] + "." + parts[1] + "." + parts[2];
        for (SecretKeySpec key : keys) {
            if (MessageDigest.isEqual(mac(key, body, normalisedEmail), presented)) {
                return Optional.of(parts[1]);
            }
        }
        return Optional.empty();
    }

    private static byte[] mac(SecretKeySpec key, String body, String normalisedEmail) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(body.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(normalisedEmail.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
