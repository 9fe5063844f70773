package dev.suite.auth.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/**
 * Registering under a name that reads as something it is not, or as nothing at all: refused with a message for
 * people, and no account row written. The rules are service-kit's DisplayName (DisplayNameTest has the full table).
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class MisleadingDisplayNameTest {

    private static final Map<String, String> ATTACKS = Map.of(
            "right-to-left override ('Eve txt.exe' reads 'Eve exe.txt')", "Eve \u202Etxt.exe",
            "zero-width spaces only (the header would read 'Signed in as' and nothing)", "\u200B\u200B\u200B",
            "hangul fillers only", "\u3164\u3164",
            "one character over the limit, which must not be cut silently", "x".repeat(101));

    @Inject
    Pool database;

    @Test
    void aMisleadingOrInvisibleNameIsRefusedAndNoAccountIsCreated() {
        ATTACKS.forEach((attack, name) -> {
            String email = AuthClient.newEmail();
            AuthClient.register(email, AuthClient.PASSWORD, name).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.startsWith("A display name"));
            long rows = database.preparedQuery("SELECT count(*) FROM account WHERE email = $1").execute(Tuple.of(email))
                    .await().indefinitely().iterator().next().getLong(0);
            assertThat(rows).as(attack).isZero();
        });
    }

    @Test
    void aDecomposedNameIsStoredComposedSoTheTokenNamesWhatTheReaderSees() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, AuthClient.PASSWORD, "  Zoe\u0308  ").then().statusCode(AuthClient.REGISTERED);
        AuthClient.login(email, AuthClient.PASSWORD).then().statusCode(200).body("user.displayName", equalTo("Zo\u00EB"));
    }
}
