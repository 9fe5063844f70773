package dev.suite.auth;

import static dev.suite.auth.AuthClient.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The per-IP back-off: a password spray from one address (many accounts, one wrong guess each, so no
 * account lock) locks that address, with the same 429 for a correct password, while other clients go on.
 * The sprayer connects from an address that is not the gateway's, and sends a fresh X-Forwarded-For with every
 * guess: the header is not believed from there, so it cannot buy fresh counters.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class LoginThrottleIpTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @ConfigProperty(name = "auth.login-throttle.ip-threshold")
    int threshold;

    @Test
    void aSprayFromOneAddressLocksThatAddressOnly() throws Exception {
        String sprayer = "127.0.0." + (10 + new SecureRandom().nextInt(200));
        String victim = AuthClient.newEmail();
        AuthClient.register(victim, PASSWORD, "Spray Target").then().statusCode(AuthClient.REGISTERED);
        for (int i = 0; i < threshold; i++) {
            assertThat(login(sprayer, AuthClient.newEmail(), "not the password, " + i)).contains(" 401 ");
        }
        String locked = login(sprayer, victim, PASSWORD);
        assertThat(locked).contains(" 429 ").containsIgnoringCase("retry-after: ");
        AuthClient.login(victim, PASSWORD).then().statusCode(200); // another client: not locked
    }

    /** One HTTP/1.1 login from the given local address; returns the status line and headers. */
    private String login(String fromAddress, String email, String password) throws Exception {
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(fromAddress), 0)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /login HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + AuthClient.newClientAddress()
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder head = new StringBuilder();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.append(line).append('\n');
            }
            return head.toString();
        }
    }
}
