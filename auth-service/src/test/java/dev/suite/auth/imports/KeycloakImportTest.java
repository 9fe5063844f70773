package dev.suite.auth.imports;

import static dev.suite.auth.AuthClient.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.auth.Admins;
import dev.suite.auth.AuthClient;
import dev.suite.auth.OwnerDatabase;
import dev.suite.fixtures.SharedStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Keycloak import at the auth service, called directly (the gateway's side: the system tests). Every hash format
 * Keycloak makes signs in and is replaced by the suite's own hash at that sign-in; then the attacks: a non-admin or
 * nobody importing, an email that has an account (never overwritten), unknown algorithms, absurd work factors,
 * too many users and a huge body; the report never carries a hash or a salt.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class KeycloakImportTest {

    private static final String PATH = "/admin/imports/keycloak";
    private static final String THEIR_PASSWORD = "quartz lantern walrus gazebo";
    private static String adminToken;

    /** One admin for the class, made once the service runs (a static @BeforeAll would run before it starts). */
    private static synchronized String admin() {
        if (adminToken == null) {
            adminToken = Admins.token();
        }
        return adminToken;
    }

    private static Response importing(String token, JsonObject export) {
        return given().header("X-Forwarded-For", AuthClient.newClientAddress()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(export.encode()).post(PATH);
    }

    private static String hashOf(String email) {
        return OwnerDatabase.text("SELECT password_hash FROM account WHERE email = ?", email);
    }

    @Test
    void everyFormatKeycloakMakesSignsInAndIsUpgradedToTheConfiguredAlgorithm() {
        List<JsonObject> users = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        for (String algorithm : KeycloakExports.algorithms()) {
            String email = AuthClient.newEmail();
            emails.add(email);
            users.add(KeycloakExports.user(email, KeycloakExports.credentialFor(algorithm, THEIR_PASSWORD)));
        }
        JsonPath report = importing(admin(), KeycloakExports.realm(users.toArray(JsonObject[]::new))).then().statusCode(200)
                .contentType(ContentType.JSON).body("created", equalTo(users.size())).body("refused", equalTo(0)).extract().jsonPath();
        assertThat(report.getList("users.outcome")).containsOnly("created");
        for (int i = 0; i < emails.size(); i++) {
            String email = emails.get(i);
            String algorithm = KeycloakExports.algorithms().get(i);
            assertThat(hashOf(email)).as(algorithm).startsWith("$imp1$");
            assertThat(OwnerDatabase.text("SELECT roles FROM account WHERE email = ?", email)).as("no role comes over").isEqualTo("user");
            AuthClient.login(email, THEIR_PASSWORD + "x").then().statusCode(401);
            AuthClient.login(email, THEIR_PASSWORD).then().statusCode(200);
            assertThat(hashOf(email)).as(algorithm + " upgraded at sign-in").startsWith("$sv1$").contains("$2b$04$");
            AuthClient.login(email, THEIR_PASSWORD).then().statusCode(200);
            assertThat(OwnerDatabase.count("SELECT count(*) FROM audit_event e JOIN account a ON a.id = e.account_id "
                    + "WHERE a.email = ? AND e.type IN ('ACCOUNT_IMPORTED', 'PASSWORD_REHASHED')", email)).isEqualTo(2);
        }
    }

    @Test
    void anEmailThatHasAnAccountIsSkippedAndNeverOverwritten() {
        String email = AuthClient.newEmail();
        AuthClient.register(email, PASSWORD, "Owner").then().statusCode(AuthClient.REGISTERED);
        String before = hashOf(email);
        importing(admin(), KeycloakExports.realm(KeycloakExports.user(email.toUpperCase(), KeycloakExports.pbkdf2("pbkdf2-sha256", THEIR_PASSWORD))))
                .then().statusCode(200).body("skipped", equalTo(1)).body("created", equalTo(0))
                .body("users[0].outcome", equalTo("skipped")).body("users[0].email", equalTo(email));
        assertThat(hashOf(email)).isEqualTo(before);
        AuthClient.login(email, THEIR_PASSWORD).then().statusCode(401);
        AuthClient.login(email, PASSWORD).then().statusCode(200);
    }

    @Test
    void unsupportedOrAbsurdCredentialsAreRefusedEachWithItsReasonAndCreateNothing() {
        byte[] salt = dev.suite.auth.password.KeycloakStyleHashes.salt();
        String value = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        Map<String, JsonObject> attacks = Map.of(
                "unknown algorithm", KeycloakExports.credential("md5-crypt", 1, salt, value, Map.of()),
                "a billion PBKDF2 iterations", KeycloakExports.credential("pbkdf2-sha256", 1_000_000_000, salt, value, Map.of()),
                "argon2 with 4 GiB", KeycloakExports.credential("argon2", 1, salt, value, Map.of("memory", List.of("4194304"))),
                "argon2d", KeycloakExports.credential("argon2", 1, salt, value, Map.of("type", List.of("d"))),
                // Found by review: a number the parser could not read failed the whole import with a 500 halfway.
                "argon2 hashLength not a number", KeycloakExports.credential("argon2", 1, salt, value, Map.of("hashLength", List.of("x"))),
                "a 30 KB hash", KeycloakExports.credential("pbkdf2-sha256", 1000, salt, "A".repeat(40_000), Map.of()),
                "secretData that is not JSON", new JsonObject().put("type", "password").put("secretData", "{").put("credentialData", "{}"));
        List<String> emails = new ArrayList<>();
        List<JsonObject> users = new ArrayList<>();
        attacks.forEach((name, credential) -> {
            String email = AuthClient.newEmail();
            emails.add(email);
            users.add(KeycloakExports.user(email, credential));
        });
        String disabled = AuthClient.newEmail();
        emails.add(disabled);
        users.add(KeycloakExports.user(disabled, KeycloakExports.pbkdf2("pbkdf2-sha256", THEIR_PASSWORD)).put("enabled", false));
        String noPassword = AuthClient.newEmail();
        emails.add(noPassword);
        users.add(KeycloakExports.user(noPassword).put("federationLink", "ldap-1"));
        users.add(KeycloakExports.user("user@example.com", KeycloakExports.pbkdf2("pbkdf2-sha256", THEIR_PASSWORD)).put("email", "not an email"));
        String serviceAccount = AuthClient.newEmail();
        emails.add(serviceAccount);
        users.add(KeycloakExports.user(serviceAccount, KeycloakExports.pbkdf2("pbkdf2-sha256", THEIR_PASSWORD)).put("serviceAccountClientId", "billing"));
        JsonPath report = importing(admin(), KeycloakExports.realm(users.toArray(JsonObject[]::new))).then().statusCode(200)
                .body("created", equalTo(0)).body("refused", equalTo(users.size())).extract().jsonPath();
        assertThat(report.getList("users.reason", String.class)).allSatisfy(reason -> assertThat(reason).isNotBlank())
                .anySatisfy(reason -> assertThat(reason).contains("not supported"))
                .anySatisfy(reason -> assertThat(reason).contains("iterations must be between 1 and 1300000"))
                .anySatisfy(reason -> assertThat(reason).contains("memory"))
                .anySatisfy(reason -> assertThat(reason).contains("not a number"))
                .anySatisfy(reason -> assertThat(reason).contains("disabled"))
                .anySatisfy(reason -> assertThat(reason).contains("federated"))
                .anySatisfy(reason -> assertThat(reason).contains("service account"))
                .anySatisfy(reason -> assertThat(reason).contains("not a valid address"));
        for (String email : emails) {
            assertThat(OwnerDatabase.count("SELECT count(*) FROM account WHERE email = ?", email)).as(email).isZero();
        }
    }

    @Test
    void theReportNeverCarriesAHashOrASalt() {
        JsonObject credential = KeycloakExports.pbkdf2("pbkdf2-sha512", THEIR_PASSWORD);
        JsonObject secret = new JsonObject(credential.getString("secretData"));
        String body = importing(admin(), KeycloakExports.realm(KeycloakExports.user(AuthClient.newEmail(), credential)))
                .then().statusCode(200).extract().asString();
        assertThat(body).doesNotContain(secret.getString("value")).doesNotContain(secret.getString("salt"))
                .doesNotContain("$imp1").doesNotContain("pbkdf2-sha512$");
    }

    @Test
    void onlyAnAdminMayImport() {
        JsonObject export = KeycloakExports.realm(KeycloakExports.user(AuthClient.newEmail(), KeycloakExports.pbkdf2("pbkdf2-sha256", THEIR_PASSWORD)));
        String email = export.getJsonArray("users").getJsonObject(0).getString("email");
        String user = AuthClient.signedIn().getString("accessToken");
        importing(user, export).then().statusCode(403).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(export.encode()).post(PATH).then().statusCode(401);
        importing("not-a-token", export).then().statusCode(401);
        assertThat(OwnerDatabase.count("SELECT count(*) FROM account WHERE email = ?", email)).isZero();
    }

    @Test
    void tooManyUsersOrAHugeBodyAreRefusedBeforeAnyWork() {
        JsonArray many = new JsonArray();
        JsonObject one = KeycloakExports.user("same@example.com", KeycloakExports.pbkdf2("pbkdf2-sha256", THEIR_PASSWORD));
        for (int i = 0; i <= KeycloakImport.MAX_USERS; i++) {
            many.add(new JsonObject().put("email", "u" + i + "@example.com"));
        }
        importing(admin(), new JsonObject().put("users", many)).then().statusCode(400).contentType("application/problem+json");
        JsonObject huge = KeycloakExports.realm(one).put("padding", "x".repeat(100 * 1024));
        assertThat(importing(admin(), huge).statusCode()).isEqualTo(413);
        importing(admin(), new JsonObject()).then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body("{\"users\": [").post(PATH).then().statusCode(400);
    }
}
