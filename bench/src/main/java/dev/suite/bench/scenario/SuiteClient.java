package dev.suite.bench.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Set-up calls straight to the auth service (not measured): register the bench's users and log them in for the
 * tokens the read and refresh scenarios use.
 */
public final class SuiteClient {

    /** A bench user. The password avoids the email and name: the password policy refuses those. */
    public record User(String email, String password) {
        public String loginJson() {
            return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
        }
    }

    public record Tokens(String accessToken, String refreshToken) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String authUrl;
    private final HttpClient http;

    /** {@code caFile}: the suite's CA, the only one trusted for the auth service's https. */
    public SuiteClient(String authUrl, java.nio.file.Path caFile) {
        this.authUrl = authUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(dev.suite.localstack.DevCertificates.trustingOnly(caFile)).build();
    }

    public static List<User> users(int count) {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(new User("bench-user-" + i + "@example.com", "quartz lantern " + i + " meadow violet orbit"));
        }
        return users;
    }

    /** Registers the users a few at a time (each registration is a bcrypt hash at the configured cost). */
    public void register(List<User> users) {
        forAll(users, user -> {
            ObjectNode body = JSON.createObjectNode().put("email", user.email()).put("password", user.password())
                    .put("displayName", "Bench " + user.email().substring(0, user.email().indexOf('@')).replace('-', ' '));
            HttpResponse<String> response = post("/register", body.toString());
            if (response.statusCode() != 202) {
                throw new IllegalStateException("Registering " + user.email() + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return null;
        });
    }

    public List<Tokens> login(List<User> users) {
        return forAll(users, user -> {
            HttpResponse<String> response = post("/login", user.loginJson());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Login of " + user.email() + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return tokens(response.body());
        });
    }

    /** The tokens of a login or refresh answer (IssuedTokens: accessToken, refreshToken). */
    public static Tokens tokens(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new Tokens(node.path("accessToken").asText(null), node.path("refreshToken").asText(null));
        } catch (IOException e) {
            throw new IllegalStateException("Not a token answer: " + json, e);
        }
    }

    /**
     * Set-up must not fail on a busy machine: a 503 (Redis or the hashing queue too slow for a moment) or a 429 is
     * retried a few times after a pause. The scenarios themselves never retry: there it is an error.
     */
    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(authUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        for (int attempt = 1; attempt < 6 && (response.statusCode() == 503 || response.statusCode() == 429); attempt++) {
            Thread.sleep(1_000L * attempt);
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        return response;
    }

    private interface Call<T> {
        T call(User user) throws IOException, InterruptedException;
    }

    /** Four at a time: enough to keep the hashing pool busy, few enough to stay under its queue limit. */
    private static <T> List<T> forAll(List<User> users, Call<T> call) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<T>> futures = new ArrayList<>();
            for (User user : users) {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return call.call(user);
                    } catch (IOException e) {
                        throw new IllegalStateException(user.email() + ": " + e, e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("Interrupted", e);
                    }
                }, pool));
            }
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }
}
