package dev.suite.auth.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** A client may never get service tokens for the user audience: they would pass wherever only aud is checked. */
class RegisteredClientsTest {

    @Test
    void aClientForTheUserAudienceIsRefused() {
        assertThatThrownBy(() -> RegisteredClients.refuseUserAudience(config(Set.of("auth-service", "suite")), "suite"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clients.user-service.audiences");
        assertThatCode(() -> RegisteredClients.refuseUserAudience(config(Set.of("auth-service")), "suite")).doesNotThrowAnyException();
    }

    private static ClientCredentialsConfig config(Set<String> audiences) {
        ClientCredentialsConfig.Client client = new ClientCredentialsConfig.Client() {
            @Override
            public String secret() {
                return "secret";
            }

            @Override
            public Set<String> audiences() {
                return audiences;
            }
        };
        return new ClientCredentialsConfig() {
            @Override
            public Map<String, Client> clients() {
                return Map.of("user-service", client);
            }

            @Override
            public Duration tokenLifetime() {
                return Duration.ofMinutes(5);
            }
        };
    }
}
