package dev.suite.auth.email;

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

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tokens of the address links: 256 random bits, handed out once (in the mail) and kept only as their SHA-256. A new
 * verify or change token replaces the account's older one of its purpose; undo tokens never replace each other.
 */
public final class EmailTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** base64url of 32 bytes: 43 characters. Anything else is not a token of ours and is refused unhashed. */
    static final int TOKEN_LENGTH = 43;

    private EmailTokens() {
    }

    /** A new token; {@code sql} may be a transaction. */
    static Uni<String> issue(SqlClient sql, String purpose, UUID accountId, String email, String boundEmail, Duration lifetime) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = Instant.now();
        Uni<Void> older = EmailToken.UNDO.equals(purpose) ? Uni.createFrom().voidItem()
                : sql.preparedQuery("DELETE FROM email_token WHERE account_id = $1 AND purpose = $2").execute(Tuple.of(accountId, purpose))
                        .replaceWithVoid();
        return older.chain(() -> sql.preparedQuery("INSERT INTO email_token (token_hash, purpose, account_id, email, bound_email, issued_at, "
                + "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.from(new Object[] { sha256(token), purpose, accountId, email, boundEmail, now.atOffset(ZoneOffset.UTC),
                        now.plus(lifetime).atOffset(ZoneOffset.UTC) })))
                .replaceWith(token);
    }

    /** Whether {@code token} can be one of ours at all: checked before any lookup. */
    static boolean wellFormed(String token) {
        return token != null && token.length() == TOKEN_LENGTH && token.matches("[A-Za-z0-9_-]+");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
