package dev.suite.system.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.suite.bench.peer.Keycloak;
import dev.suite.bench.peer.KeycloakAdmin;
import dev.suite.localstack.GuestDatabase;
import dev.suite.localstack.LocalStack;
import dev.suite.localstack.SuiteRoot;
import dev.suite.system.support.Answer;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Database;
import dev.suite.system.support.RunningSuite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Coming from Keycloak, end to end, with a real Keycloak (the version make keycloak fetches, the bench's peer, on a
 * PostgreSQL of its own): one user per hash format Keycloak makes (its default argon2, then pbkdf2-sha512,
 * pbkdf2-sha256 and pbkdf2 through the realm's password policy, each at Keycloak's default cost), exported with
 * {@code kc.sh export} into target/ (never committed), imported with make import-keycloak's script through the
 * gateway as an admin, and every user signed in through the gateway: the Keycloak hash is in the database until that
 * sign-in and the suite's own hash after it. Then the attacks through the gateway: a non-admin, and an admin without
 * the CSRF header, import nothing. Keycloak starts once for the class (about two minutes on two busy cores).
 */
class KeycloakMigrationTest {

    private static final String REALM = "migrating";
    private static final String PASSWORD = "kestrel harbour tangerine lantern";
    /** Format -> the realm policy that makes Keycloak hash new passwords with it (argon2: its default, no policy). */
    private static final Map<String, String> FORMATS = new LinkedHashMap<>();

    static {
        FORMATS.put("argon2", "");
        FORMATS.put("pbkdf2-sha512", "hashAlgorithm(pbkdf2-sha512)");
        FORMATS.put("pbkdf2-sha256", "hashAlgorithm(pbkdf2-sha256)");
        FORMATS.put("pbkdf2", "hashAlgorithm(pbkdf2)");
    }

    /** How each arrives in the suite's database: Keycloak's own parameters, the hash unchanged. */
    private static final Map<String, String> IMPORTED = Map.of("argon2", "$imp1$argon2id$v=19$m=7168,t=5,p=1$",
            "pbkdf2-sha512", "$imp1$pbkdf2-sha512$i=210000$", "pbkdf2-sha256", "$imp1$pbkdf2-sha256$i=600000$",
            "pbkdf2", "$imp1$pbkdf2-sha1$i=1300000$");
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static Path export;

    private static String emailOf(String format) {
        return "kc-" + format + "-" + RUN + "@example.com";
    }

    @BeforeAll
    static void exportFromARealKeycloak() throws Exception {
        Path root = SuiteRoot.find();
        Path home = keycloakHome(root);
        Path dir = root.resolve("system-tests/target/keycloak-import");
        Files.createDirectories(dir);
        export = dir.resolve("realm-export.json");
        Files.deleteIfExists(export);
        GuestDatabase database = Keycloak.database();
        try (LocalStack stack = LocalStack.startNew(List.of(database))) {
            int postgresPort = Integer.parseInt(stack.properties().get("suite.pg.port"));
            Path ca = Path.of(stack.properties().get("suite.pg.ca-file"));
            Keycloak.buildOnce(home, dir.resolve("keycloak-build.log"));
            long started = System.nanoTime();
            try (Keycloak keycloak = Keycloak.start(home, database, postgresPort, stack.tls(), dir.resolve("keycloak.log"), k -> { })) {
                System.out.printf("[keycloak-import] %s ready in %d s%n", keycloak, (System.nanoTime() - started) / 1_000_000_000);
                KeycloakAdmin admin = new KeycloakAdmin(keycloak);
                admin.createRealm(REALM);
                FORMATS.forEach((format, policy) -> {
                    admin.passwordPolicy(REALM, policy);
                    admin.createUser(REALM, "kc-" + format + "-" + RUN, emailOf(format), "Ada", format, PASSWORD);
                    assertThat(admin.passwordAlgorithm(REALM, "kc-" + format + "-" + RUN)).as("what Keycloak made").isEqualTo(format);
                });
            }
            Keycloak.export(home, database, postgresPort, ca, REALM, export, dir.resolve("keycloak-export.log"));
        }
    }

    /** make keycloak's distribution; without it the test says so in one line, and fails under CI=true (CI installs it). */
    private static Path keycloakHome(Path root) throws IOException {
        String version = Files.readAllLines(root.resolve("pom.xml")).stream().filter(l -> l.contains("<keycloak.version>"))
                .findFirst().orElseThrow().replaceAll(".*<keycloak.version>(.*)</keycloak.version>.*", "$1").trim();
        Path home = root.resolve(".local/tools/keycloak-" + version);
        boolean present = Files.isRegularFile(home.resolve("bin/kc.sh"));
        if (!present && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("Keycloak " + version + " is not in .local/tools: run make keycloak (CI does)");
        }
        return Keycloak.distribution(home);
    }

    @Test
    void theExportHoldsEveryFormatWithItsHash() throws IOException {
        JsonArray users = new JsonObject(Files.readString(export)).getJsonArray("users");
        for (String format : FORMATS.keySet()) {
            JsonObject user = users.stream().map(JsonObject.class::cast).filter(u -> emailOf(format).equals(u.getString("email")))
                    .findFirst().orElseThrow();
            JsonObject credential = user.getJsonArray("credentials").getJsonObject(0);
            assertThat(new JsonObject(credential.getString("credentialData")).getString("algorithm")).isEqualTo(format);
            assertThat(new JsonObject(credential.getString("secretData")).getString("value")).as("not blanked").isNotBlank();
        }
    }

    @Test
    void everyUserSignsInThroughTheGatewayAfterTheImportAndTheirHashIsUpgraded() throws Exception {
        RunningSuite suite = RunningSuite.shared();
        Browser admin = Browser.signedUp(suite.gatewayUrl(), "kc-admin");
        promoteToAdmin(admin.email());
        // The password goes in the environment, as make import-keycloak documents it, never on the command line.
        ProcessBuilder builder = new ProcessBuilder("python3", SuiteRoot.find().resolve("deploy/local/import-keycloak.py").toString(),
                "--file", export.toString(), "--admin", admin.email(), "--gateway", suite.gatewayUrl(),
                "--ca", suite.stack().properties().get("suite.tls.ca-file")).redirectErrorStream(true);
        builder.environment().put("SUITE_ADMIN_PASSWORD", Browser.PASSWORD);
        Process run = builder.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.out.print(output);
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain(PASSWORD).doesNotContain(Browser.PASSWORD)
                .contains("[import-keycloak] " + FORMATS.size() + " created, 0 skipped");
        for (String format : FORMATS.keySet()) {
            assertThat(output).contains("created  " + emailOf(format));
        }

        for (String format : FORMATS.keySet()) {
            String email = emailOf(format);
            assertThat(hashOf(email)).as(format + " as Keycloak made it, at its default cost").startsWith(IMPORTED.get(format));
            Browser user = new Browser(suite.gatewayUrl());
            user.csrf();
            Browser.expect(user.login(email, PASSWORD + " "), 401);
            Browser.expect(user.login(email, PASSWORD), 200);
            Browser.expect(user.me(), 200);
            assertThat(hashOf(email)).as(format + " upgraded at the sign-in").startsWith("$sv1$");
            Browser.expect(user.logout(), 204);
            Browser.expect(new Browser(suite.gatewayUrl()).csrf(), 200);
            Browser again = new Browser(suite.gatewayUrl());
            again.csrf();
            Browser.expect(again.login(email, PASSWORD), 200);
        }
    }

    @Test
    void aNonAdminOrAnAdminWithoutCsrfImportsNothingThroughTheGateway() throws Exception {
        RunningSuite suite = RunningSuite.shared();
        String email = "kc-attack-" + UUID.randomUUID() + "@example.com";
        JsonObject users = new JsonObject(Files.readString(export));
        JsonObject one = users.getJsonArray("users").getJsonObject(0).copy().put("email", email);
        String body = new JsonObject().put("realm", REALM).put("users", new JsonArray().add(one)).encode();

        Browser user = Browser.signedUp(suite.gatewayUrl(), "kc-user");
        Answer forbidden = user.send("POST", "/api/auth/admin/imports/keycloak", body, Map.of());
        assertThat(forbidden.status()).as(forbidden.toString()).isEqualTo(403);

        Browser admin = Browser.signedUp(suite.gatewayUrl(), "kc-admin2");
        promoteToAdmin(admin.email());
        Browser.expect(admin.login(admin.email(), Browser.PASSWORD), 200);
        Answer noCsrf = admin.send("POST", "/api/auth/admin/imports/keycloak", body.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"), true, false);
        assertThat(noCsrf.status()).as(noCsrf.toString()).isEqualTo(403);
        Answer huge = admin.send("POST", "/api/auth/admin/imports/keycloak", "{\"users\":[],\"x\":\"" + "x".repeat(200_000) + "\"}", Map.of());
        assertThat(huge.status()).as("bounded at the gateway").isEqualTo(413);
        assertThat(Database.count("auth", "SELECT count(*) FROM account WHERE email = ?", email)).isZero();

        Answer control = admin.send("POST", "/api/auth/admin/imports/keycloak", body, Map.of());
        assertThat(control.status()).as(control.toString()).isEqualTo(200);
        assertThat(Database.count("auth", "SELECT count(*) FROM account WHERE email = ?", email)).isEqualTo(1);
    }

    private static void promoteToAdmin(String email) throws SQLException {
        try (Connection owner = Database.connect("auth");
                PreparedStatement update = owner.prepareStatement("UPDATE account SET roles = 'user,admin' WHERE email = ?")) {
            update.setString(1, email);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static String hashOf(String email) throws SQLException {
        try (Connection owner = Database.connect("auth");
                PreparedStatement query = owner.prepareStatement("SELECT password_hash FROM account WHERE email = ?")) {
            query.setString(1, email);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}
