package dev.suite.system.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.suite.system.support.Answer;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;
import io.vertx.core.json.JsonObject;

/**
 * No answer, error or not, carries a password, a token, a secret of the local secrets folder, a stack trace or an
 * internal host name. Scans the answers of a tour of every endpoint (through the gateway and at each service),
 * plus every answer the other tests of this JVM received. Tokens travel only in Set-Cookie (HttpOnly), by design.
 */
class LeakScanTest {

    private static final Pattern STACK_TRACE = Pattern.compile("\\tat |\\bat [\\w.$]+\\([\\w]+\\.java:\\d+\\)|Caused by:|\\w+Exception\\b");

    private final RunningSuite suite = RunningSuite.shared();

    @Test
    void noAnswerCarriesAPasswordTokenSecretStackTraceOrInternalHost() throws IOException {
        Map<String, String> forbidden = new LinkedHashMap<>();
        List<Answer> tour = tour(forbidden);
        secrets(forbidden);
        for (String module : List.of(RunningSuite.AUTH, RunningSuite.USERS)) {
            forbidden.put("localhost:" + suite.port(module), "internal address of the " + module);
            forbidden.put("127.0.0.1:" + suite.port(module), "internal address of the " + module);
        }
        for (String host : List.of("localhost:", "127.0.0.1:")) {
            forbidden.put(host + suite.stack().postgres().port(), "PostgreSQL's address");
            forbidden.put(host + suite.stack().redis().port(), "Redis's address");
        }
        forbidden.put("svc.cluster.local", "a cluster host name");

        List<Answer> all = new ArrayList<>(tour);
        all.addAll(Http.seen());
        for (Answer answer : all) {
            String visible = withoutTheIssuer(answer.body() + "\n" + visibleHeaders(answer));
            forbidden.forEach((needle, what) -> assertThat(visible).as("%s in %s", what, answer).doesNotContain(needle));
            if (!answer.contentType().contains("javascript")) {
                // The SPA's bundle (ProdRehearsalTest fetches it) is the app's own code, not an error answer: its minified
                // source names uncaughtException by design. What it must not carry, the forbidden strings, is checked.
                assertThat(STACK_TRACE.matcher(visible).find()).as("stack trace in %s", answer).isFalse();
            }
            for (String cookie : answer.headers().getOrDefault("set-cookie", List.of())) {
                if (cookie.startsWith(Browser.ACCESS + "=") || cookie.startsWith(Browser.REFRESH + "=")) {
                    assertThat(cookie.toLowerCase(java.util.Locale.ROOT)).contains("httponly").contains("secure");
                }
            }
        }
        System.out.printf("[leak-scan] %d answers scanned for %d forbidden strings%n", all.size(), forbidden.size());
    }

    /** Every endpoint, its success and its usual failures; the tokens and password seen become forbidden strings. */
    private List<Answer> tour(Map<String, String> forbidden) {
        List<Answer> answers = new ArrayList<>();
        String gw = suite.gatewayUrl();
        Browser browser = new Browser(gw);
        String email = "scan-" + UUID.randomUUID() + "@example.com";
        answers.add(browser.csrf());
        answers.add(browser.register(email, "Scan"));
        answers.add(browser.register(email, "Scan")); // taken: the same 202
        answers.add(browser.register("not-an-email", "Scan"));
        answers.add(browser.login(email, "a wrong but long passphrase"));
        answers.add(browser.login(email, Browser.PASSWORD));
        String access = browser.cookie(Browser.ACCESS);
        String refresh = browser.cookie(Browser.REFRESH);
        forbidden.put(Browser.PASSWORD, "the password");
        forbidden.put(access, "the access token");
        forbidden.put(access.substring(access.lastIndexOf('.') + 1), "the access token's signature");
        forbidden.put(refresh, "the refresh token");
        answers.add(browser.me());
        answers.add(browser.patchMe(new JsonObject().put("bio", "scanned")));
        answers.add(browser.patchMe(new JsonObject().put("unknown", "x")));
        answers.add(browser.send("POST", "/api/auth/password", new JsonObject().put("currentPassword", "wrong-and-long-enough")
                .put("newPassword", "another long passphrase 77").encode(), Map.of()));
        answers.add(browser.send("POST", "/api/auth/admin/revocations", "{\"userId\":\"x\"}", Map.of()));
        answers.add(browser.send("GET", "/api/users/" + UUID.randomUUID(), null, Map.of()));
        answers.add(browser.send("GET", "/api/auth/jwks.json", null, Map.of()));
        answers.add(browser.send("GET", "/api/nothing-here", null, Map.of()));
        answers.add(browser.send("DELETE", "/api/auth/login", null, Map.of()));
        answers.add(browser.send("PATCH", "/api/users/me", "{\"bio\":", Map.of()));
        answers.add(browser.send("PATCH", "/api/users/me", "{\"bio\":\"" + "x".repeat(70_000) + "\"}", Map.of()));
        answers.add(browser.send("POST", "/api/auth/logout", null, Map.of("X-CSRF-Token", "forged")));
        answers.add(browser.refresh());
        String rotated = browser.cookie(Browser.REFRESH);
        forbidden.put(rotated, "the rotated refresh token");
        answers.add(Http.send("GET", gw + "/api/users/me", Map.of("Authorization", "Bearer " + access), (String) null));
        answers.add(Http.send("GET", gw + "/api/users/me", Map.of("Authorization", "Basic " + access), (String) null));
        answers.add(Http.get(gw + "/q/health"));
        // Health details as the probes and monitoring see them, on each management port.
        for (String module : List.of(RunningSuite.AUTH, RunningSuite.USERS, RunningSuite.GATEWAY)) {
            answers.add(Http.get(suite.managementUrl(module) + "/q/health"));
        }
        answers.add(Http.get(gw + "/"));
        // Each service directly, as another pod would call it.
        for (String base : List.of(suite.authUrl(), suite.userUrl())) {
            answers.add(Http.get(base + "/q/health"));
            answers.add(Http.send("POST", base + "/login", Map.of(), "{\"email\":\"" + email + "\",\"password\":\"wrong pass phrase\"}"));
            // (A valid refresh token here would be answered with new tokens in JSON: that is the auth service's API.)
            answers.add(Http.send("POST", base + "/refresh", Map.of(), "{\"refreshToken\":\"" + refresh.substring(1) + "\"}"));
            answers.add(Http.send("POST", base + "/register", Map.of(), "{\"email\":1}"));
            answers.add(Http.send("POST", base + "/internal/service-tokens", Map.of(), "{}"));
            answers.add(Http.send("DELETE", base + "/internal/accounts/" + UUID.randomUUID(), Map.of(), (String) null));
            answers.add(Http.send("GET", base + "/users/me", Map.of("Authorization", "Bearer " + access), (String) null));
            answers.add(Http.send("PATCH", base + "/users/me", Map.of("Authorization", "Bearer " + access), "[[["));
            answers.add(Http.send("GET", base + "/users/not-a-uuid", Map.of("Authorization", "Bearer " + access), (String) null));
        }
        // What services in any language ask the issuer: its metadata, and introspection with and without credentials.
        answers.add(Http.get(suite.authUrl() + "/.well-known/openid-configuration"));
        answers.add(Http.send("POST", suite.authUrl() + "/oauth2/introspect",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), ("token=" + access).getBytes(StandardCharsets.UTF_8)));
        String client = Base64.getEncoder().encodeToString(("user-service:" + suite.stack().properties().get("suite.client.user-service.secret"))
                .getBytes(StandardCharsets.UTF_8));
        answers.add(Http.send("POST", suite.authUrl() + "/oauth2/introspect", Map.of("Authorization", "Basic " + client,
                "Content-Type", "application/x-www-form-urlencoded"), ("token=" + access).getBytes(StandardCharsets.UTF_8)));
        answers.add(browser.logout());
        answers.add(browser.me());
        return answers;
    }

    /** Every value of the local secrets file and the signing key's body. */
    private static void secrets(Map<String, String> forbidden) throws IOException {
        Path dir = dev.suite.localstack.SuiteRoot.find().resolve(".local");
        Properties secrets = new Properties();
        try (var in = Files.newInputStream(dir.resolve("secrets.properties"))) {
            secrets.load(in);
        }
        secrets.forEach((key, value) -> {
            if (String.valueOf(value).length() >= 8) {
                forbidden.put(String.valueOf(value), "secret " + key);
            }
        });
        try (var files = Files.walk(dir)) {
            for (Path pem : files.filter(p -> p.toString().endsWith(".pem") || p.toString().endsWith(".key")).toList()) {
                for (String line : Files.readAllLines(pem)) {
                    if (!line.startsWith("-----") && line.length() >= 40) {
                        forbidden.put(line, "private key material of " + dir.relativize(pem));
                    }
                }
            }
        }
    }

    /**
     * The issuer is the auth service's URL and public by design (every token names it, services fetch its metadata from
     * it: docs/tokens.md). It may appear where it is the issuer: the metadata's issuer and endpoint URLs and an
     * introspection answer's {@code iss}. Anywhere else the auth service's address is a leak like any other.
     */
    private String withoutTheIssuer(String visible) {
        String issuer = suite.authUrl();
        for (String role : List.of("\"issuer\":\"%s\"", "\"iss\":\"%s\"", "\"%s/.well-known/jwks.json\"", "\"%s/oauth2/introspect\"")) {
            visible = visible.replace(String.format(role, issuer), String.format(role, "<issuer>"));
        }
        return visible;
    }

    private static String visibleHeaders(Answer answer) {
        StringBuilder headers = new StringBuilder();
        answer.headers().forEach((name, values) -> {
            if (!name.equals("set-cookie")) {
                headers.append(name).append(": ").append(String.join(", ", values)).append('\n');
            }
        });
        return headers.toString();
    }
}
