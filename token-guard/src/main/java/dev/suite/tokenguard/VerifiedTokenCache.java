package dev.suite.tokenguard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Tokens whose signature and claims were already checked, so the next request with the same token costs a
 * hash lookup instead of an ECDSA verification (the dominant cost of an authenticated request). Only successes
 * are kept; an entry ends when its token expires (plus the clock skew) and the cache is bounded. Entries are
 * keyed by the token's SHA-256, so no raw token is a map key and a lookup compares digests, not secrets.
 * Nothing here replaces a check that can change: revocation is asked of Redis on every request, and a hit
 * counts only while the token's key is still published (see {@link TokenVerifier}).
 */
final class VerifiedTokenCache {

    /** A verified token and the id of the key that signed it. */
    record Entry(VerifiedToken token, String keyId) {
    }

    private final Cache<String, Entry> entries;
    private final long skewSeconds;

    VerifiedTokenCache(int maxSize, long skewSeconds) {
        this.skewSeconds = skewSeconds;
        this.entries = maxSize <= 0 ? null : Caffeine.newBuilder()
                .maximumSize(maxSize)
                .executor(Runnable::run) // maintenance on the caller: no extra threads, nothing blocking
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry entry, long currentTime) {
                        return nanosLeft(entry);
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
                        return nanosLeft(entry);
                    }

                    @Override
                    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** The earlier verification of exactly this token, if it is still within its lifetime. */
    Entry find(String token) {
        if (entries == null) {
            return null;
        }
        Entry entry = entries.getIfPresent(digest(token));
        return entry != null && nanosLeft(entry) > 0 ? entry : null;
    }

    void remember(String token, VerifiedToken verified, String keyId) {
        if (entries != null) {
            entries.put(digest(token), new Entry(verified, keyId));
        }
    }

    private long nanosLeft(Entry entry) {
        long secondsLeft = entry.token().expiresAt().getEpochSecond() + skewSeconds - Instant.now().getEpochSecond();
        return Math.max(0, secondsLeft) * 1_000_000_000L;
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
