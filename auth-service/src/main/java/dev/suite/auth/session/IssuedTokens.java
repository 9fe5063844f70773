package dev.suite.auth.session;

import java.time.Instant;
import java.util.UUID;

import dev.suite.auth.account.AccountView;

/** What a login or refresh hands out. The gateway moves both tokens into HTTP-only cookies. */
public record IssuedTokens(AccountView user, UUID sessionId, String accessToken, Instant accessExpiresAt,
        String refreshToken, Instant refreshExpiresAt) {

    @Override
    public String toString() {
        // Never print the tokens.
        return "IssuedTokens[user=" + user.id() + ", sid=" + sessionId + "]";
    }
}
