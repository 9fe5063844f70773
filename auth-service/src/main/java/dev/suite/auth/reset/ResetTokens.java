package dev.suite.auth.reset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reset tokens: 256 random bits, handed out once (in the mail) and kept only as their SHA-256, bound to the password
 * hash they may replace, for {@code lifetime}. Issuing replaces the account's previous token, so a newer link kills
 * the older one.
 */
@ApplicationScoped
public class ResetTokens {

    @ConfigMapping(prefix = "auth.password-reset")
    public interface Config {
        /** How long a reset link works (OWASP: short; issue 21: 30 minutes). */
        @WithDefault("PT30M")
        Duration tokenLifetime();
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** base64url of 32 bytes: 43 characters. Anything longer is not a token of ours and is refused unhashed. */
    static final int TOKEN_LENGTH = 43;

    private final Config config;

    ResetTokens(Config config) {
        this.config = config;
    }

    /** A new token for {@code accountId}, replacing its previous one; {@code sql} may be a transaction. */
    public Uni<String> issue(SqlClient sql, UUID accountId, String currentPasswordHash) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = Instant.now();
        return sql.preparedQuery("INSERT INTO password_reset_token (account_id, token_hash, password_hash_digest, issued_at, expires_at) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, "
                + "password_hash_digest = EXCLUDED.password_hash_digest, issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at")
                .execute(Tuple.of(accountId, sha256(token), sha256(currentPasswordHash), now.atOffset(ZoneOffset.UTC),
                        now.plus(config.tokenLifetime()).atOffset(ZoneOffset.UTC)))
                .replaceWith(token);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
