package dev.suite.auth.session;

import java.time.Instant;
import java.util.UUID;

import dev.suite.auth.account.AccountView;
import dev.suite.auth.login.DeviceTokens;

/**
 * What a login or refresh hands out. The gateway moves the tokens into HTTP-only cookies: access and refresh
 * always, the device token (login only; null on refresh) into its own long-lived cookie.
 */
public record IssuedTokens(AccountView user, UUID sessionId, String accessToken, Instant accessExpiresAt,
        String refreshToken, Instant refreshExpiresAt, String deviceToken, Instant deviceExpiresAt) {

    public IssuedTokens(AccountView user, UUID sessionId, String accessToken, Instant accessExpiresAt, String refreshToken,
            Instant refreshExpiresAt) {
        this(user, sessionId, accessToken, accessExpiresAt, refreshToken, refreshExpiresAt, null, null);
    }

    public IssuedTokens withDevice(DeviceTokens.Issued device) {
        return new IssuedTokens(user, sessionId, accessToken, accessExpiresAt, refreshToken, refreshExpiresAt, device.token(),
                device.expiresAt());
    }

    @Override
    public String toString() {
        // Never print the tokens.
        return "IssuedTokens[user=" + user.id() + ", sid=" + sessionId + "]";
    }
}
