package dev.suite.users;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.suite.fixtures.TestServices;
import dev.suite.launcher.SuiteTopology;
import dev.suite.localstack.DevCertificates;
import dev.suite.localstack.LocalRedis;
import dev.suite.localstack.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The user service verifies every token itself: revocation at once, Redis down fails closed, audiences hold. */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class TokenTrustTest {

    @Test
    void logoutAtTheAuthServiceIsSeenOnTheVeryNextRequestHere() {
        JsonPath heidi = Accounts.newUser("Heidi");
        given().auth().oauth2(heidi.getString("accessToken")).get("/users/me").then().statusCode(200);
        Accounts.logout(heidi.getString("accessToken"));
        given().auth().oauth2(heidi.getString("accessToken")).get("/users/me").then().statusCode(401);
    }

    @Test
    void aServiceTokenIsNoUserTokenHereAndOneForAnotherAudienceIsRefused() {
        given().auth().oauth2(Accounts.serviceToken("auth-service")).get("/users/me").then().statusCode(401);
    }

    @Test
    void redisDownIs503AndRecoveryNeedsNoRestart() {
        JsonPath ivan = Accounts.newUser("Ivan");
        String token = ivan.getString("accessToken");
        given().auth().oauth2(token).get("/users/me").then().statusCode(200);
        LocalStack.shared().redis().stop();
        try {
            given().auth().oauth2(token).get("/users/me").then().statusCode(503);
        } finally {
            LocalStack.shared().redis().start();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            status = given().auth().oauth2(token).get("/users/me").statusCode();
        }
        assertThat(status).isEqualTo(200);
    }

    /**
     * Issue 17, item 7: Redis speaks TLS under the suite CA's certificate. Someone who takes Redis's address (a pod on
     * the path, a forged DNS answer) and runs a Redis of their own, which lets every user in and holds no revocation,
     * would bring every logged-out token back to life if the services trusted whoever answered. With a certificate from
     * another CA it gets nothing: each request fails closed (503), none is served.
     */
    @Test
    void aRedisWithAnotherCasCertificateCannotBringARevokedTokenBack(@TempDir Path impostorDir) throws Exception {
        JsonPath mallory = Accounts.newUser("Mallory");
        String token = mallory.getString("accessToken");
        Accounts.logout(token);
        given().auth().oauth2(token).get("/users/me").then().statusCode(401);

        LocalRedis redis = LocalStack.shared().redis();
        redis.stop();
        LocalRedis impostor = LocalRedis.impostor(impostorDir, redis.port(), redis.host(), DevCertificates.issueForAddresses(
                impostorDir.resolve("tls"), "Impostor CA", List.of(redis.host().bindAddress())));
        try {
            // The impostor is there and would vouch: to a client that trusts its CA it says the token is not revoked.
            assertThat(askAsUserService(impostor, "SMISMEMBER", "revoked:any", "jti:any")).startsWith("*1").endsWith(":0");
            for (int attempt = 0; attempt < 5; attempt++) {
                given().auth().oauth2(token).get("/users/me").then().statusCode(503);
            }
        } finally {
            impostor.stop();
            redis.start();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (status != 401 && System.nanoTime() < deadline) {
            status = given().auth().oauth2(token).get("/users/me").statusCode();
        }
        assertThat(status).as("the real Redis back: still revoked").isEqualTo(401);
    }

    /** One command to {@code redis} as user-service with a password of no one's (which the impostor accepts). */
    private static String askAsUserService(LocalRedis redis, String... command) throws java.io.IOException {
        try (java.net.Socket socket = redis.connect()) {
            socket.setSoTimeout(10_000);
            StringBuilder resp = new StringBuilder();
            for (String[] each : List.of(new String[] { "AUTH", "user-service", "no one's password" }, command)) {
                resp.append('*').append(each.length).append("\r\n");
                for (String part : each) {
                    resp.append('$').append(part.length()).append("\r\n").append(part).append("\r\n");
                }
            }
            socket.getOutputStream().write(resp.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            String auth = in.readLine();
            assertThat(auth).as("the impostor lets anyone in").isEqualTo("+OK");
            return in.readLine() + in.readLine();
        }
    }

    @Test
    void deletionIsAllOrNothingWhenTheAuthServiceIsDownAndCompletesOnRetry() {
        JsonPath judy = Accounts.newUser("Judy");
        String token = judy.getString("accessToken");
        ProfileOwnershipTest.patch(judy, java.util.Map.of("privateNotes", "keep me until I really go")).then().statusCode(200);

        TestServices.stop(SuiteTopology.AUTH);
        try {
            // Tokens still verify from the cached keys; the deletion cannot finish, so nothing is deleted.
            Accounts.deleteMe(token, Accounts.PASSWORD).then().statusCode(503)
                    .header("Retry-After", org.hamcrest.Matchers.notNullValue());
            given().auth().oauth2(token).get("/users/me").then().statusCode(200)
                    .body("privateNotes", org.hamcrest.Matchers.equalTo("keep me until I really go"));
        } finally {
            TestServices.start(SuiteTopology.AUTH);
        }
        // The retry a client makes after a 503: a freshly started auth service on a loaded machine may take a few
        // seconds (its first connections, a cold JIT) before it answers within the user service's timeout.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = Accounts.deleteMe(token, Accounts.PASSWORD).statusCode();
        while (status == 503 && System.nanoTime() < deadline) {
            status = Accounts.deleteMe(token, Accounts.PASSWORD).statusCode();
        }
        assertThat(status).isEqualTo(204);
        given().auth().oauth2(token).get("/users/me").then().statusCode(401); // every session was revoked
        assertThat(Accounts.loginStatus(judy.getString("user.email"))).isEqualTo(401);
    }
}
