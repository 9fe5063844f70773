package dev.suite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.gateway.proxy.UnverifiedClaims;

/**
 * The session id the CSRF binding is read from, unverified: only a UUID, as the auth service issues them. A token
 * changed by one character (GatewayFuzzTest's mutation) carried a sid with a byte no header may hold, which went into
 * the CSRF cookie, and GET /api/auth/csrf never answered.
 */
class UnverifiedClaimsTest {

    @Test
    void onlyAUuidIsASessionId() {
        String sid = UUID.randomUUID().toString();
        assertThat(UnverifiedClaims.sessionId(token("{\"sid\":\"" + sid + "\"}"))).isEqualTo(sid);
        assertThat(UnverifiedClaims.sessionId(token("{\"sid\":\"0a16b:\u00925-b9a3-4ba1-9de3-875a994ba382\"}"))).isNull();
        assertThat(UnverifiedClaims.sessionId(token("{\"sid\":\"x; Path=/; Domain=evil.example\"}"))).isNull();
        assertThat(UnverifiedClaims.sessionId(token("{\"sid\":\"" + sid.toUpperCase() + "\"}"))).as("not as issued").isNull();
        assertThat(UnverifiedClaims.sessionId(token("{\"sid\":42}"))).isNull();
    }

    private static String token(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }
}
