package dev.suite.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;
import dev.suite.tokenguard.TokenFactory;

/**
 * Clocks of issuer and verifiers differ: a token within the allowed skew (30 s) works at the gateway and at the user
 * service; one beyond it is refused at both. token-guard's HostileTokenTest and the corpus cover the same at the
 * library; here it is the packaged services, with tokens signed by the real dev key.
 */
class ClockSkewTest {

    private final RunningSuite suite = RunningSuite.shared();

    @Test
    void withinTheSkewWorksBeyondItIsRefusedAtEveryVerifier() {
        TokenFactory tokens = TokenFactory.withRealKey(Http.get(suite.authUrl() + "/.well-known/jwks.json").body(),
                Path.of(suite.stack().properties().get("suite.jwt.signing-key-file")), suite.authUrl(), "gateway");
        assertStatus(tokens, 200, c -> c.setExpirationTime(ago(20))); // expired 20 s ago by our clock
        assertStatus(tokens, 200, c -> c.setNotBefore(ago(-20))); // valid from 20 s from now
        assertStatus(tokens, 401, c -> c.setExpirationTime(ago(40)));
        assertStatus(tokens, 401, c -> c.setNotBefore(ago(-40)));
        assertStatus(tokens, 401, c -> {
            c.setIssuedAt(ago(-40));
            c.setNotBefore(ago(0));
        });
    }

    private void assertStatus(TokenFactory tokens, int status, Consumer<JwtClaims> skew) {
        JwtClaims claims = tokens.userClaims();
        claims.setClaim("name", "Skew");
        claims.setIssuedAt(ago(60));
        claims.setNotBefore(ago(60));
        skew.accept(claims);
        String token = tokens.sign(claims);
        for (String url : new String[] { suite.gatewayUrl() + "/api/users/me", suite.userUrl() + "/users/me" }) {
            assertThat(Http.send("GET", url, Map.of("Authorization", "Bearer " + token), (String) null).status())
                    .as("%s with %s", url, claims).isEqualTo(status);
        }
    }

    private static NumericDate ago(long seconds) {
        return NumericDate.fromSeconds(java.time.Instant.now().getEpochSecond() - seconds);
    }
}
