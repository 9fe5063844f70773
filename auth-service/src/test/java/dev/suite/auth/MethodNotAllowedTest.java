package dev.suite.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Found by Schemathesis (system-tests OpenApiFuzzTest): a method a path does not take was a 405 without the Allow
 * header RFC 9110 requires, because RESTEasy throws its 405 bare, and OPTIONS named methods of other paths. Both name
 * the path's own methods now (service-runtime AllowedMethods), a 405 in Allow and in the detail, as the gateway does.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class MethodNotAllowedTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET    | /login                         | OPTIONS, POST",
            "TRACE  | /logout-all                    | OPTIONS, POST",
            "POST   | /.well-known/jwks.json         | GET, HEAD, OPTIONS",
            "DELETE | /.well-known/openid-configuration | GET, HEAD, OPTIONS",
            "GET    | /admin/keys/some-kid/withdrawal | OPTIONS, POST",
            "GET    | /internal/accounts/0b6c4ea2-2d7c-4a9e-9d51-5d0f1f7c3f10 | DELETE, OPTIONS" })
    void a405NamesTheMethodsThePathTakes(String method, String path, String allowed) {
        given().request(method, path).then().statusCode(405).contentType("application/problem+json")
                .header("Allow", equalTo(allowed))
                .body("detail", containsString("it takes " + allowed));
    }

    /** RESTEasy's own OPTIONS named every method of the resource class: POST for /admin/keys, GET for its rotation. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/admin/keys                     | GET, HEAD, OPTIONS",
            "/admin/keys/rotation            | OPTIONS, POST",
            "/admin/keys/some-kid/withdrawal | OPTIONS, POST",
            "/login                          | OPTIONS, POST" })
    void optionsNamesTheMethodsOfThatPathOnly(String path, String allowed) {
        given().options(path).then().statusCode(200).header("Allow", equalTo(allowed));
    }
}
