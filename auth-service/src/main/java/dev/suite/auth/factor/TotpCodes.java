package dev.suite.auth.factor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.codec.binary.Base32;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

/**
 * RFC 6238 codes as every authenticator app makes them by default (HMAC-SHA1, 6 digits, 30-second steps; RFC 4226's
 * 160-bit secret). A code is looked for in the current step and one step either side (clock drift, a code typed as
 * it turned over), and never in a step at or before the last one accepted: what makes a code single use.
 */
public final class TotpCodes {

    public static final Duration STEP = Duration.ofSeconds(30);
    public static final int DIGITS = 6;
    /** Steps either side of now a code may come from. */
    static final int DRIFT_STEPS = 1;
    private static final int SECRET_BYTES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TimeBasedOneTimePasswordGenerator generator;

    public TotpCodes() {
        this(DIGITS, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
    }

    /** Other lengths and hashes: for RFC 6238's own test vectors (8 digits, SHA-1/256/512). */
    TotpCodes(int digits, String algorithm) {
        this.generator = new TimeBasedOneTimePasswordGenerator(STEP, digits, algorithm);
    }

    public static byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** The secret as authenticator apps take it: Base32, no padding. */
    public static String base32(byte[] secret) {
        return new Base32().encodeToString(secret).replace("=", "");
    }

    /** The Key Uri Format every authenticator reads (as a QR code or pasted): otpauth://totp/issuer:account?... */
    public static String otpauthUri(String issuer, String accountName, byte[] secret) {
        String label = encode(issuer) + ":" + encode(accountName);
        return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP.toSeconds();
    }

    public static long stepOf(Instant time) {
        return time.getEpochSecond() / STEP.toSeconds();
    }

    /** The code of one time step. */
    public String codeAt(byte[] secret, long step) {
        try {
            return generator.generateOneTimePasswordString(key(secret), Instant.ofEpochSecond(step * STEP.toSeconds()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The step whose code {@code claimed} is, near {@code now} and after {@code lastUsedStep} (null: none used yet);
     * empty when it is no such code. Every candidate step is computed and compared in constant time, whichever matches.
     */
    public OptionalLong matchingStep(byte[] secret, String claimed, Instant now, Long lastUsedStep) {
        if (claimed == null) {
            return OptionalLong.empty();
        }
        String code = claimed.replace(" ", "");
        long current = stepOf(now);
        long found = -1;
        for (long step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step++) {
            boolean same = java.security.MessageDigest.isEqual(codeAt(secret, step).getBytes(StandardCharsets.US_ASCII),
                    code.getBytes(StandardCharsets.US_ASCII));
            if (same && (lastUsedStep == null || step > lastUsedStep) && found < 0) {
                found = step;
            }
        }
        return found < 0 ? OptionalLong.empty() : OptionalLong.of(found);
    }

    private SecretKeySpec key(byte[] secret) {
        return new SecretKeySpec(secret, generator.getAlgorithm());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
