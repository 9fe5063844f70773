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
public record Guesser(List<String> keys, List<String> hashingOwners) {

    /** A client with no proof: counted under the account (its email's digest) and under its address. */
    public static Guesser unknownClient(String normalisedEmail, String clientKey) {
        List<String> keys = List.of(account(normalisedEmail), "ip:" + clientKey);
        return new Guesser(keys, keys);
    }

    /** A browser holding a valid device token for this account: counted per device only. */
    public static Guesser knownDevice(String deviceId, String normalisedEmail) {
        return new Guesser(List.of("device:" + deviceId), List.of("device:" + deviceId, account(normalisedEmail)));
    }

    /**
     * The same guesser entering a second-factor code after a right password: counted as the password was and, as well,
     * under the account's own code counter. A right password clears this guesser's other counters (PasswordCheck);
     * it never clears this one, which only a right code does: otherwise a password holder could start over after
     * every few wrong codes and guess codes without end (review of issue 22, high).
     */
    public Guesser withCodeCounter(java.util.UUID accountId) {
        List<String> withCodes = new java.util.ArrayList<>(keys);
        withCodes.add("factor:" + accountId);
        return new Guesser(List.copyOf(withCodes), hashingOwners);
    }

    /** A signed-in session re-entering its password (password change, account deletion): counted per session. */
    public static Guesser session(String sessionId, String normalisedEmail) {
        return new Guesser(List.of("session:" + sessionId), List.of("session:" + sessionId, account(normalisedEmail)));
    }

    /**
     * Somebody asking for a password reset link: counted under the client's address only, in a counter of its own,
     * apart from sign-in guesses. Not under the address asked for: anyone could then keep its owner from ever asking
     * (review of issue 21); the mails one address gets are bounded by MailBudget instead. Nothing is hashed for a
     * request: the hashing owner is the same key.
     */
    public static Guesser resetRequester(String clientKey) {
        List<String> keys = List.of("reset:ip:" + clientKey);
        return new Guesser(keys, keys);
    }

    /**
     * Somebody presenting a reset token: a guess at a secret, counted per client address (the token alone names the
     * account, so there is no account to count under before it is found).
     */
    public static Guesser resetTokenHolder(String clientKey) {
        List<String> keys = List.of("reset-token:ip:" + clientKey);
        return new Guesser(keys, keys);
    }

    /**
     * Somebody asking for a mail of the address flows (a new confirmation link, an email change): counted under the
     * client's address, apart from the other counters; the mails themselves are bounded per address and account by
     * MailBudget. Nothing is hashed for the request itself.
     */
    public static Guesser mailRequester(String clientKey) {
        List<String> keys = List.of("email-mail:ip:" + clientKey);
        return new Guesser(keys, keys);
    }

    /** Somebody presenting the token of an address link (confirm, change, undo): a guess at a secret, per client address. */
    public static Guesser emailTokenHolder(String clientKey) {
        List<String> keys = List.of("email-token:ip:" + clientKey);
        return new Guesser(keys, keys);
    }

    /** Whether a counter key counts a client address (its threshold is the per-address one) rather than an account. */
    static boolean isClientAddress(String key) {
        return key.startsWith("ip:") || key.contains(":ip:");
    }

    /**
     * Whose share of the hashing pool the work comes out of (HashingPool): its counter keys, and always the account,
     * so that one account's many devices or sessions together hold no more than one account's share.
     */
    @Override
    public List<String> hashingOwners() {
        return hashingOwners;
    }

    private static String account(String normalisedEmail) {
        return "acct:" + digest(normalisedEmail);
    }

    static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
