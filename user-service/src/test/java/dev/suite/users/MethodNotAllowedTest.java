package dev.suite.users;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Found by Schemathesis (system-tests OpenApiFuzzTest): a method a path does not take was a 405 without the Allow
 * header RFC 9110 requires, because RESTEasy throws its 405 bare, and OPTIONS named methods of other paths. Both name
 * the path's own methods now (service-runtime AllowedMethods), a 405 in Allow and in the detail, as the gateway does.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class MethodNotAllowedTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "TRACE  | /users/me   | DELETE, GET, HEAD, OPTIONS, PATCH",
            "PUT    | /users/me   | DELETE, GET, HEAD, OPTIONS, PATCH",
            "POST   | /users/1234 | GET, HEAD, OPTIONS" })
    void a405NamesTheMethodsThePathTakes(String method, String path, String allowed) {
        given().request(method, path).then().statusCode(405).contentType("application/problem+json")
                .header("Allow", equalTo(allowed))
                .body("detail", containsString("it takes " + allowed));
    }

    /** RESTEasy's own OPTIONS named every method of the resource class: DELETE and PATCH for /users/{id}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/users/1234 | GET, HEAD, OPTIONS",
            "/users/me   | DELETE, GET, HEAD, OPTIONS, PATCH" })
    void optionsNamesTheMethodsOfThatPathOnly(String path, String allowed) {
        given().options(path).then().statusCode(200).header("Allow", equalTo(allowed));
    }
}
