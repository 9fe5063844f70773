package dev.suite.bench.peer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.suite.bench.hashing.HashLimit;
import dev.suite.bench.scenario.SuiteClient;

/**
 * Keycloak's set-up through its admin REST API, as the bootstrap admin (not measured): a realm, a confidential
 * client with direct access grants (the password grant is Keycloak's equivalent of the suite's POST /login), the
 * bench's users with the suite's passwords, and the realm's refresh-token rotation switch ({@code revokeRefreshToken}).
 * Then the token endpoint for the scenarios' start tokens.
 */
public final class KeycloakAdmin {

    public static final String REALM = "bench";
    public static final String CLIENT = "bench";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Keycloak keycloak;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String clientSecret = generated();
    private String adminToken;
    private long adminTokenAt;

    public KeycloakAdmin(Keycloak keycloak) {
        this.keycloak = keycloak;
    }

    /** Realm, client and the same users as the suite's (not measured). */
    public static KeycloakAdmin setUp(Keycloak keycloak, List<SuiteClient.User> users, PrintStream out) {
        out.printf("[bench] Keycloak: realm %s, confidential client %s with direct access grants, %d users (admin REST API) ...%n",
                REALM, CLIENT, users.size());
        KeycloakAdmin admin = new KeycloakAdmin(keycloak);
        admin.createRealmAndClient();
        admin.createUsers(users);
        return admin;
    }

    /** Realm and client. Access tokens live 10 minutes, as the suite's do (Keycloak's default is 5). */
    public void createRealmAndClient() {
        ObjectNode realm = JSON.createObjectNode().put("realm", REALM).put("enabled", true).put("accessTokenLifespan", 600)
                .put("revokeRefreshToken", false);
        expect(send("POST", "/admin/realms", realm), 201, "creating realm " + REALM);
        ObjectNode client = JSON.createObjectNode().put("clientId", CLIENT).put("enabled", true).put("protocol", "openid-connect")
                .put("publicClient", false).put("clientAuthenticatorType", "client-secret").put("secret", clientSecret)
                .put("directAccessGrantsEnabled", true).put("standardFlowEnabled", false).put("serviceAccountsEnabled", false);
        expect(send("POST", "/admin/realms/" + REALM + "/clients", client), 201, "creating client " + CLIENT);
    }

    /** The users, four at a time (each is a password hash on Keycloak's side). Their email is their user name. */
    public void createUsers(List<SuiteClient.User> users) {
        forAll(users, user -> {
            ObjectNode body = JSON.createObjectNode().put("username", user.email()).put("email", user.email())
                    .put("emailVerified", true).put("enabled", true).put("firstName", "Bench")
                    .put("lastName", user.email().substring(0, user.email().indexOf('@')));
            body.putArray("credentials").addObject().put("type", "password").put("value", user.password()).put("temporary", false);
            expect(send("POST", "/admin/realms/" + REALM + "/users", body), 201, "creating user " + user.email());
            return null;
        });
    }

    /** A realm for another use than the bench's (the Keycloak import's test), enabled, Keycloak's defaults otherwise. */
    public void createRealm(String realm) {
        expect(send("POST", "/admin/realms", JSON.createObjectNode().put("realm", realm).put("enabled", true)), 201, "creating realm " + realm);
    }

    /** The realm's password policy, e.g. {@code hashAlgorithm(pbkdf2-sha256)}: new passwords are hashed by it. */
    public void passwordPolicy(String realm, String policy) {
        expect(send("PUT", "/admin/realms/" + realm, JSON.createObjectNode().put("passwordPolicy", policy)), 204,
                "setting the password policy " + policy);
    }

    /** A user with a password, which Keycloak hashes as the realm's policy says at this moment. */
    public void createUser(String realm, String username, String email, String firstName, String lastName, String password) {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("email", email).put("emailVerified", true)
                .put("enabled", true).put("firstName", firstName).put("lastName", lastName);
        body.putArray("credentials").addObject().put("type", "password").put("value", password).put("temporary", false);
        expect(send("POST", "/admin/realms/" + realm + "/users", body), 201, "creating user " + username);
    }

    /** The algorithm Keycloak stored with {@code username}'s password (its credentialData), to check what it really made. */
    public String passwordAlgorithm(String realm, String username) {
        JsonNode found = read(send("GET", "/admin/realms/" + realm + "/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8), null), "finding " + username);
        JsonNode credentials = read(send("GET", "/admin/realms/" + realm + "/users/" + found.path(0).path("id").asText()
                + "/credentials", null), "reading credentials");
        for (JsonNode credential : credentials) {
            if ("password".equals(credential.path("type").asText())) {
                return parse(credential.path("credentialData").asText("{}")).path("algorithm").asText();
            }
        }
        throw new IllegalStateException("No password credential on " + username + ": " + credentials);
    }

    /**
     * The password hashing settings Keycloak stored with {@code user}'s credential (its credentialData), so that the
     * hash limit is measured for what Keycloak really runs, not for what its documentation says it defaults to.
     */
    public HashLimit.Argon2Settings hashSettings(SuiteClient.User user) {
        JsonNode found = read(send("GET", "/admin/realms/" + REALM + "/users?exact=true&username="
                + URLEncoder.encode(user.email(), StandardCharsets.UTF_8), null), "finding " + user.email());
        String id = found.path(0).path("id").asText();
        JsonNode credentials = read(send("GET", "/admin/realms/" + REALM + "/users/" + id + "/credentials", null), "reading credentials");
        for (JsonNode credential : credentials) {
            if ("password".equals(credential.path("type").asText())) {
                JsonNode data = parse(credential.path("credentialData").asText("{}"));
                String algorithm = data.path("algorithm").asText();
                if (!algorithm.equals("argon2")) {
                    throw new IllegalStateException("Keycloak hashes with " + algorithm + ": the bench measures argon2 only");
                }
                JsonNode p = data.path("additionalParameters");
                return new HashLimit.Argon2Settings(first(p, "type"), first(p, "version"), Integer.parseInt(first(p, "memory")),
                        data.path("hashIterations").asInt(), Integer.parseInt(first(p, "parallelism")), Integer.parseInt(first(p, "hashLength")));
            }
        }
        throw new IllegalStateException("No password credential on " + user.email() + ": " + credentials);
    }

    /** Refresh-token rotation: off is Keycloak's default; on, a used refresh token is refused (no reuse). */
    public void rotation(boolean on) {
        ObjectNode realm = JSON.createObjectNode().put("revokeRefreshToken", on).put("refreshTokenMaxReuse", 0);
        expect(send("PUT", "/admin/realms/" + REALM, realm), 204, "setting revokeRefreshToken=" + on);
    }

    /** The token endpoint's path, relative to Keycloak's URL. */
    public static String tokenPath() {
        return "/realms/" + REALM + "/protocol/openid-connect/token";
    }

    public static String userinfoPath() {
        return "/realms/" + REALM + "/protocol/openid-connect/userinfo";
    }

    /** The password grant's fields for {@code user}, scope openid (userinfo answers only tokens that carry it). */
    public Map<String, String> passwordGrant(SuiteClient.User user) {
        Map<String, String> form = clientFields();
        form.put("grant_type", "password");
        form.put("username", user.email());
        form.put("password", user.password());
        form.put("scope", "openid");
        return form;
    }

    public Map<String, String> refreshGrant(String refreshToken) {
        Map<String, String> form = clientFields();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return form;
    }

    private Map<String, String> clientFields() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", CLIENT);
        form.put("client_secret", clientSecret);
        return form;
    }

    /** Logs the users in (set-up, not measured): their access and refresh tokens. */
    public List<SuiteClient.Tokens> login(List<SuiteClient.User> users) {
        return forAll(users, user -> {
            HttpResponse<String> response = post(tokenPath(), passwordGrant(user));
            JsonNode tokens = read(response, "password grant of " + user.email());
            return new SuiteClient.Tokens(tokens.path("access_token").asText(), tokens.path("refresh_token").asText());
        });
    }

    /** The refresh token of a token endpoint answer. */
    public static String refreshToken(String answer) {
        return parse(answer).path("refresh_token").asText(null);
    }

    private HttpResponse<String> post(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return call(HttpRequest.newBuilder(URI.create(keycloak.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /** The master realm's admin-cli token of the bootstrap admin; it lives 60 s, so it is renewed after 30. */
    private synchronized String adminToken() {
        if (adminToken == null || System.nanoTime() - adminTokenAt > 30_000_000_000L) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "password");
            form.put("client_id", "admin-cli");
            form.put("username", keycloak.adminUser());
            form.put("password", keycloak.adminPassword());
            adminToken = read(post("/realms/master/protocol/openid-connect/token", form), "bootstrap admin login")
                    .path("access_token").asText();
            adminTokenAt = System.nanoTime();
        }
        return adminToken;
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(keycloak.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminToken());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        return call(request.build());
    }

    private HttpResponse<String> call(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("Keycloak: " + what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static JsonNode read(HttpResponse<String> response, String what) {
        expect(response, 200, what);
        return parse(response.body());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON from Keycloak: " + json, e);
        }
    }

    private static String first(JsonNode parameters, String name) {
        JsonNode value = parameters.path(name);
        String text = value.isArray() ? value.path(0).asText(null) : value.asText(null);
        if (text == null) {
            throw new IllegalStateException("Keycloak's credential has no " + name + ": " + parameters);
        }
        return text;
    }

    private interface Call<T> {
        T call(SuiteClient.User user);
    }

    private static <T> List<T> forAll(List<SuiteClient.User> users, Call<T> call) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<T>> futures = new ArrayList<>();
            users.forEach(user -> futures.add(CompletableFuture.supplyAsync(() -> call.call(user), pool)));
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private static String generated() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
