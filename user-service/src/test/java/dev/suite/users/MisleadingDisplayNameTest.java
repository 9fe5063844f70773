package dev.suite.users;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A profile edit that would make a name read as something it is not, or as nothing: refused with a message for
 * people and the stored name unchanged; a long paste is refused with the count, never cut. The rules are
 * service-kit's DisplayName, the same as at registration and in the SPA.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class MisleadingDisplayNameTest {

    private static final Map<String, String> ATTACKS = Map.of(
            "right-to-left override ('Eve txt.exe' reads 'Eve exe.txt')", "Eve \u202Etxt.exe",
            "first-strong isolate", "Eve \u2068txt\u2069",
            "zero-width spaces only (the header would read 'Signed in as' and nothing)", "\u200B\u200B\u200B",
            "zero-width joiner and word joiner only", "\u200D\u2060",
            "braille blank only", "\u2800",
            "a new line", "Eve\nAdmin");

    @Test
    void aMisleadingOrInvisibleNameIsRefusedAndTheStoredOneStays() {
        JsonPath eve = Accounts.newUser("Eve");
        ATTACKS.forEach((attack, name) -> ProfileOwnershipTest.patch(eve, Map.of("displayName", name)).then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.startsWith("A display name")));
        given().auth().oauth2(eve.getString("accessToken")).get("/users/me").then().body("displayName", equalTo("Eve"));
    }

    @Test
    void aLongPasteIsRefusedWithTheCountNotCut() {
        JsonPath eve = Accounts.newUser("Eve");
        ProfileOwnershipTest.patch(eve, Map.of("displayName", "y".repeat(140))).then().statusCode(400)
                .body("detail", equalTo("A display name can be at most 100 characters long; this one has 140."));
        ProfileOwnershipTest.patch(eve, Map.of("displayName", "y".repeat(100))).then().statusCode(200)
                .body("displayName", equalTo("y".repeat(100)));
    }

    @Test
    void namesAreStoredComposedAndRightToLeftNamesAsTheyAre() {
        JsonPath eve = Accounts.newUser("Eve");
        ProfileOwnershipTest.patch(eve, Map.of("displayName", " Zoe\u0308 ")).then().statusCode(200)
                .body("displayName", equalTo("Zo\u00EB"));
        ProfileOwnershipTest.patch(eve, Map.of("displayName", "\u05D3\u05E0\u05D4 \u05DC\u05D5\u05D9")).then().statusCode(200)
                .body("displayName", equalTo("\u05D3\u05E0\u05D4 \u05DC\u05D5\u05D9"));
    }
}
