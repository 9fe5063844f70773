package dev.suite.auth.attacks;

import static dev.suite.auth.AuthClient.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.suite.auth.AuthClient;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Invariant 8 at registration: a taken email answered 409 "already exists" and a new one 201 with the account. */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class RegistrationEnumerationTest {

    @Test
    void aTakenEmailAndANewOneGetTheSameAnswer() {
        String taken = AuthClient.newEmail();
        AuthClient.register(taken, PASSWORD, "First Owner").then().statusCode(AuthClient.REGISTERED);

        Response again = AuthClient.register(taken, "another-long-passphrase-here", "Prober");
        Response fresh = AuthClient.register(AuthClient.newEmail(), "another-long-passphrase-here", "Prober");

        assertThat(again.statusCode()).isEqualTo(fresh.statusCode()).isEqualTo(AuthClient.REGISTERED);
        assertThat(again.body().asString()).isEqualTo(fresh.body().asString());
        assertThat(again.headers().asList().stream().map(h -> h.getName()).sorted().toList())
                .isEqualTo(fresh.headers().asList().stream().map(h -> h.getName()).sorted().toList());
        assertThat(again.getHeader("Content-Length")).isEqualTo(fresh.getHeader("Content-Length"));
        assertThat(again.getHeader("Location")).isNull();
        // The prober changed nothing: the owner's password still works, the prober's does not.
        AuthClient.login(taken, PASSWORD).then().statusCode(200);
        AuthClient.login(taken, "another-long-passphrase-here").then().statusCode(401);
    }
}
