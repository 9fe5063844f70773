package dev.suite.gateway.session;

import java.time.Instant;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * What auth-service answers to a login or a refresh ({@code dev.suite.auth.session.IssuedTokens} there), read by
 * the names of its JSON fields, which live here only. IssuedTokensContractTest logs in against the real auth-service
 * and fails when a name here and a field there part ways.
 *
 * @param user the account, handed to the SPA as it is
 * @param accessExpiresAt handed to the SPA as it is (ISO-8601), so that it can refresh in time
 * @param deviceToken null on refresh: only a login hands one out
 * @param deviceExpiresAt null when deviceToken is
 */
public record IssuedTokens(JsonObject user, String sessionId, String accessToken, String accessExpiresAt,
        String refreshToken, Instant refreshExpiresAt, String deviceToken, Instant deviceExpiresAt, boolean passwordChangeRequired) {

    public static final String USER = "user";
    public static final String SESSION_ID = "sessionId";
    public static final String ACCESS_TOKEN = "accessToken";
    public static final String ACCESS_EXPIRES_AT = "accessExpiresAt";
    public static final String REFRESH_TOKEN = "refreshToken";
    public static final String REFRESH_EXPIRES_AT = "refreshExpiresAt";
    public static final String DEVICE_TOKEN = "deviceToken";
    public static final String DEVICE_EXPIRES_AT = "deviceExpiresAt";
    /** True when the session may only change the password (the first admin's initial one); the SPA then asks for it. */
    public static final String PASSWORD_CHANGE_REQUIRED = "passwordChangeRequired";

    /** Every field the gateway reads; a login answer has each of them. */
    public static final List<String> FIELDS = List.of(USER, SESSION_ID, ACCESS_TOKEN, ACCESS_EXPIRES_AT, REFRESH_TOKEN,
            REFRESH_EXPIRES_AT, DEVICE_TOKEN, DEVICE_EXPIRES_AT, PASSWORD_CHANGE_REQUIRED);
    /** The fields a refresh answer leaves null: it renews the session, not the device. */
    public static final List<String> LOGIN_ONLY = List.of(DEVICE_TOKEN, DEVICE_EXPIRES_AT);

    public static IssuedTokens from(JsonObject answer) {
        String deviceToken = answer.getString(DEVICE_TOKEN);
        return new IssuedTokens(answer.getJsonObject(USER), answer.getString(SESSION_ID), answer.getString(ACCESS_TOKEN),
                answer.getString(ACCESS_EXPIRES_AT), answer.getString(REFRESH_TOKEN),
                Instant.parse(answer.getString(REFRESH_EXPIRES_AT)), deviceToken,
                deviceToken == null ? null : Instant.parse(answer.getString(DEVICE_EXPIRES_AT)),
                answer.getBoolean(PASSWORD_CHANGE_REQUIRED, false));
    }

    @Override
    public String toString() {
        // Never print the tokens.
        return "IssuedTokens[sid=" + sessionId + ", device=" + (deviceToken != null) + "]";
    }
}
