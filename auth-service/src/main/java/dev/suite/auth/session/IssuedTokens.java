package dev.suite.auth.session;

import java.time.Instant;
import java.util.UUID;

import dev.suite.auth.account.AccountView;
import dev.suite.auth.login.DeviceTokens;

/**
 * What a login or refresh hands out. The gateway moves the tokens into HTTP-only cookies: access and refresh
 * always, the device token (login only; null on refresh) into its own long-lived cookie. {@code passwordChangeRequired}:
 * the account must replace a password someone else chose before this session may do anything else
 * ({@link PasswordChangeOnly}); the gateway hands it to the SPA.
 */
public record IssuedTokens(AccountView user, UUID sessionId, String accessToken, Instant accessExpiresAt,
        String refreshToken, Instant refreshExpiresAt, String deviceToken, Instant deviceExpiresAt, boolean passwordChangeRequired) {

    public IssuedTokens(AccountView user, UUID sessionId, String accessToken, Instant accessExpiresAt, String refreshToken,
            Instant refreshExpiresAt) {
        this(user, sessionId, accessToken, accessExpiresAt, refreshToken, refreshExpiresAt, null, null, false);
    }

    public IssuedTokens withDevice(DeviceTokens.Issued device) {
        return new IssuedTokens(user, sessionId, accessToken, accessExpiresAt, refreshToken, refreshExpiresAt, device.token(),
                device.expiresAt(), passwordChangeRequired);
    }

    IssuedTokens passwordChangeRequired(boolean required) {
        return new IssuedTokens(user, sessionId, accessToken, accessExpiresAt, refreshToken, refreshExpiresAt, deviceToken,
                deviceExpiresAt, required);
    }

    @Override
    public String toString() {
        // Never print the tokens.
        return "IssuedTokens[user=" + user.id() + ", sid=" + sessionId + "]";
    }
}
