package dev.suite.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import dev.suite.gateway.routing.ServiceCalls;
import dev.suite.gateway.session.IssuedTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

/**
 * The contract between auth-service's {@code IssuedTokens} answer and the gateway's reader of it
 * ({@link IssuedTokens}): the real auth-service jar, at the URL the gateway calls, answers a login with every field
 * the gateway reads and no other, and a refresh with the same fields, the device's left null.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class IssuedTokensContractTest {

    @Test
    void loginAnswerHasEveryFieldTheGatewayReadsAndNoOther() {
        JsonObject login = login(GatewayClient.signedIn("Contract"));
        for (String field : IssuedTokens.FIELDS) {
            assertThat(login.getValue(field)).as("login answer field %s", field).isNotNull();
        }
        // A field the gateway does not know would be dropped on the way to the browser: a new token never reaching a cookie.
        assertThat(login.fieldNames()).containsExactlyInAnyOrderElementsOf(IssuedTokens.FIELDS);
        IssuedTokens read = IssuedTokens.from(login);
        assertThat(read.user().getString("email")).isNotBlank();
        assertThat(read.refreshExpiresAt()).isInTheFuture();
        assertThat(read.deviceExpiresAt()).isInTheFuture();
    }

    @Test
    void refreshAnswerHasTheSameFieldsButNoDeviceToken() {
        // Sent with the gateway's own field name, so a renamed refresh request field fails here too (400).
        IssuedTokens issued = IssuedTokens.from(login(GatewayClient.signedIn("Contract")));
        JsonObject refresh = new JsonObject(given().baseUri(authUrl()).contentType(ContentType.JSON)
                .body(Map.of(ServiceCalls.REFRESH_TOKEN_FIELD, issued.refreshToken())).post("/refresh")
                .then().statusCode(200).extract().asString());
        for (String field : IssuedTokens.FIELDS) {
            if (IssuedTokens.LOGIN_ONLY.contains(field)) {
                assertThat(refresh.getValue(field)).as("refresh answer field %s", field).isNull();
            } else {
                assertThat(refresh.getValue(field)).as("refresh answer field %s", field).isNotNull();
            }
        }
        IssuedTokens read = IssuedTokens.from(refresh);
        assertThat(read.sessionId()).isEqualTo(issued.sessionId());
        assertThat(read.refreshToken()).isNotEqualTo(issued.refreshToken());
    }

    /** Signs the client's account in at auth-service itself: the answer the gateway reads, before it is turned into cookies. */
    private static JsonObject login(GatewayClient client) {
        return new JsonObject(given().baseUri(authUrl()).contentType(ContentType.JSON)
                .body(Map.of("email", client.jar.get("email"), "password", GatewayClient.PASSWORD)).post("/login")
                .then().statusCode(200).extract().asString());
    }

    private static String authUrl() {
        return ConfigProvider.getConfig().getValue("gateway.auth-url", String.class);
    }
}
