package dev.suite.users;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** Owner-only private data, at the API and again in PostgreSQL's row-level security. */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
class ProfileOwnershipTest {

    @Inject
    Pool database;

    @Test
    void eachUserReadsAndChangesOnlyTheirOwnProfile() {
        JsonPath alice = Accounts.newUser("Alice");
        JsonPath bob = Accounts.newUser("Bob");
        given().auth().oauth2(alice.getString("accessToken")).get("/users/me").then().statusCode(200)
                .body("id", equalTo(alice.getString("user.id"))).body("displayName", equalTo("Alice"))
                .body("email", equalTo(alice.getString("user.email")));
        patch(bob, Map.of("privateNotes", "bob's secret", "bio", "hi")).then().statusCode(200);

        // Alice names Bob's id every way she can: never Bob's data.
        given().auth().oauth2(alice.getString("accessToken")).get("/users/" + bob.getString("user.id"))
                .then().statusCode(403).body(not(containsString("bob's secret")));
        patch(alice, Map.of("privateNotes", "alice's notes")).then().statusCode(200)
                .body("id", equalTo(alice.getString("user.id")));
        given().auth().oauth2(alice.getString("accessToken")).contentType(ContentType.JSON)
                .body(Map.of("id", bob.getString("user.id"), "privateNotes", "overwrite"))
                .patch("/users/me").then().statusCode(400);

        given().auth().oauth2(bob.getString("accessToken")).get("/users/me").then().statusCode(200)
                .body("privateNotes", equalTo("bob's secret")).body("bio", equalTo("hi"));
    }

    @Test
    void rowLevelSecurityHidesEveryRowFromAQueryThatNamesNoOwner() {
        JsonPath carol = Accounts.newUser("Carol");
        JsonPath dave = Accounts.newUser("Dave");
        for (JsonPath user : new JsonPath[] { carol, dave }) {
            given().auth().oauth2(user.getString("accessToken")).get("/users/me").then().statusCode(200);
        }
        // As users_app, the service's own role, straight to the database:
        Row unscoped = database.query("SELECT count(*) FROM profile").execute().await().indefinitely().iterator().next();
        assertThat(unscoped.getLong(0)).isZero();

        long visible = database.withTransaction(tx -> tx.preparedQuery("SELECT set_config('app.owner_id', $1, true)")
                .execute(Tuple.of(carol.getString("user.id")))
                .chain(ignored -> tx.query("SELECT id::text FROM profile").execute())
                .map(rows -> {
                    rows.forEach(row -> assertThat(row.getString(0)).isEqualTo(carol.getString("user.id")));
                    return (long) rows.size();
                })).await().indefinitely();
        assertThat(visible).isEqualTo(1);

        long written = database.preparedQuery("UPDATE profile SET private_notes = 'tampered' WHERE id = $1::uuid")
                .execute(Tuple.of(dave.getString("user.id"))).await().indefinitely().rowCount();
        assertThat(written).isZero();
    }

    @Test
    void adminsReadAnyProfileOthersGet403() {
        JsonPath erin = Accounts.newUser("Erin");
        given().auth().oauth2(erin.getString("accessToken")).get("/users/me").then().statusCode(200);
        given().auth().oauth2(erin.getString("accessToken")).get("/users/" + erin.getString("user.id")).then().statusCode(403);
        given().get("/users/me").then().statusCode(401);
    }

    @Test
    void invalidInputIsA400ProblemAndChangesNothing() {
        JsonPath frank = Accounts.newUser("Frank");
        patch(frank, Map.of("bio", "before")).then().statusCode(200);
        for (Map<String, Object> body : java.util.List.<Map<String, Object>>of(
                Map.of("avatarUrl", "javascript:alert(1)"),
                Map.of("avatarUrl", "data:text/html,<script>alert(1)</script>"),
                Map.of("avatarUrl", "https://user:pass@example.com/a.png"),
                Map.of("displayName", "tab\u0007bell"),
                Map.of("displayName", "x".repeat(101)),
                Map.of("locale", "not a locale"),
                Map.of("bio", 42),
                Map.of("unknown", "field"),
                Map.of())) {
            patch(frank, body).then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
        }
        given().auth().oauth2(frank.getString("accessToken")).contentType(ContentType.JSON).body("{broken")
                .patch("/users/me").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(frank.getString("accessToken")).get("/users/me").then().body("bio", equalTo("before"));
    }

    @Test
    void htmlIsStoredAndReturnedAsPlainJsonData() {
        JsonPath grace = Accounts.newUser("<img src=x onerror=alert(1)>");
        given().auth().oauth2(grace.getString("accessToken")).get("/users/me").then().statusCode(200)
                .contentType("application/json").body("displayName", equalTo("<img src=x onerror=alert(1)>"));
        patch(grace, Map.of("avatarUrl", "https://example.com/a.png", "bio", "<script>x</script>\nline two"))
                .then().statusCode(200).body("bio", equalTo("<script>x</script>\nline two"));
        given().auth().oauth2(grace.getString("accessToken")).contentType(ContentType.JSON)
                .body("{\"avatarUrl\":null}").patch("/users/me").then().statusCode(200).body("avatarUrl", equalTo(null));
    }

    static io.restassured.response.Response patch(JsonPath user, Map<String, ?> body) {
        return given().auth().oauth2(user.getString("accessToken")).contentType(ContentType.JSON).body(body).patch("/users/me");
    }
}
