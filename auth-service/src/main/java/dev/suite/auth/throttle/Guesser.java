package dev.suite.auth.throttle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Who is guessing a secret, as the throttle counts them (OWASP's device-cookie scheme). A client that proved itself
 * before (a device token from an earlier successful sign-in, or the signed-in session itself) is counted on its
 * own, so nobody else's wrong guesses can stop it; every other client is counted per account and per client
 * address, so a stream of guesses at one account slows the guessers without touching the owner's devices.
 */
public record Guesser(List<String> keys, boolean knownDevice) {

    /** A client with no proof: counted under the account (its email's digest) and under its address. */
    public static Guesser unknownClient(String normalisedEmail, String clientKey) {
        return new Guesser(List.of("acct:" + digest(normalisedEmail), "ip:" + clientKey), false);
    }

    /** A browser holding a valid device token for this account: counted per device only. */
    public static Guesser knownDevice(String deviceId) {
        return new Guesser(List.of("device:" + deviceId), true);
    }

    /** A signed-in session re-entering its password (password change, account deletion): counted per session. */
    public static Guesser session(String sessionId) {
        return new Guesser(List.of("session:" + sessionId), true);
    }

    /** The key this guesser's hashing work is accounted to (see HashingPool's share per owner). */
    public List<String> hashingOwners() {
        return keys;
    }

    static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
