package dev.suite.system.network;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.suite.system.support.Answer;
import dev.suite.system.support.Browser;
import io.vertx.core.json.JsonObject;

/**
 * What a program on one of the cross-host test's hosts does, run there with {@code ip netns exec HOST java ... Probe}
 * (a JVM cannot change its own network namespace). Prints one line per result for {@link CrossHostTest} to assert on:
 * <ul>
 * <li>{@code tcp ADDRESS:PORT...}: for each, {@code ADDRESS:PORT open}, {@code refused}, {@code timeout} or
 * {@code unreachable}</li>
 * <li>{@code pg ADDRESS PORT DATABASE USER PASSWORD-ENV SSLMODE}: {@code connected as USER} or {@code refused SQLSTATE
 * message}; the password is read from the environment variable named, never from the command line</li>
 * <li>{@code flow GATEWAY-URL}: a new account through the gateway, sign-in, profile read and write, refresh, logout;
 * one {@code step status} line each (the CA to trust: {@code -Dsuite.tls.ca-file})</li>
 * <li>{@code service-calls AUTH-URL SECRET-ENV}: as the user service (its client id and secret), a service token, then
 * each of the auth service's internal and admin endpoints; one {@code endpoint status} line each</li>
 * <li>{@code login-through GATEWAY-URL}: a sign-in through the gateway; {@code csrf STATUS} and {@code login STATUS
 * problem|other:CONTENT-TYPE MARK} where MARK is {@code impostor} if the body is {@link Impostor}'s, {@code clean}
 * otherwise</li>
 * <li>{@code get URL [TOKEN-ENV]}: one GET, with the bearer token from the environment variable named if any;
 * {@code STATUS MARK}, or {@code refused REASON} when no answer came (TLS handshake refused, connection failed)</li>
 * </ul>
 */
public final class Probe {

    static final int CONNECT_TIMEOUT_MS = 3000;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "tcp" -> tcpAll(Arrays.copyOfRange(args, 1, args.length)).forEach(System.out::println);
            case "pg" -> System.out.println(pg(args[1], args[2], args[3], args[4], System.getenv(args[5]), args[6]));
            case "flow" -> flow(args[1]);
            case "service-calls" -> serviceCalls(args[1], System.getenv(args[2]));
            case "login-through" -> loginThrough(args[1]);
            case "get" -> get(args[1], args.length > 2 ? System.getenv(args[2]) : null);
            default -> throw new IllegalArgumentException("Unknown probe " + args[0]);
        }
    }

    /**
     * Every target at once, printed in the order given: a dropped SYN costs the whole connect timeout, and one after
     * the other a probe of nine dropped ports took half a minute.
     */
    static List<String> tcpAll(String... targets) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, targets.length));
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (String target : targets) {
                String[] parts = target.split(":");
                answers.add(pool.submit(() -> target + " " + tcp(parts[0], Integer.parseInt(parts[1]))));
            }
            List<String> lines = new ArrayList<>();
            for (Future<String> answer : answers) {
                try {
                    lines.add(answer.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            return lines;
        } finally {
            pool.shutdownNow();
        }
    }

    static String tcp(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
            return "open";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (NoRouteToHostException e) {
            return "unreachable";
        } catch (ConnectException e) {
            return e.getMessage() != null && e.getMessage().contains("refused") ? "refused" : "unreachable " + e.getMessage();
        } catch (IOException e) {
            return "unreachable " + e.getMessage();
        }
    }

    static String pg(String address, String port, String database, String user, String password, String sslMode) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password == null ? "" : password);
        properties.setProperty("sslmode", sslMode);
        properties.setProperty("connectTimeout", "5");
        String ca = System.getProperty("suite.tls.ca-file");
        if (ca != null) {
            properties.setProperty("sslrootcert", ca);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + address + ":" + port + "/" + database, properties)) {
            return "connected as " + connection.getMetaData().getUserName();
        } catch (SQLException e) {
            return "refused " + e.getSQLState() + " " + e.getMessage().replace('\n', ' ');
        }
    }

    static void flow(String gateway) {
        Browser browser = new Browser(gateway);
        step("csrf", browser.csrf());
        String email = "cross-host-" + UUID.randomUUID() + "@example.com";
        step("register", browser.register(email, "Cross Host"));
        step("login", browser.login(email, Browser.PASSWORD));
        step("read", browser.me());
        step("write", browser.patchMe(new JsonObject().put("bio", "written across hosts")));
        Answer read = browser.me();
        System.out.println("read-back " + read.status() + " " + (read.body().contains("written across hosts") ? "bio-stored" : "bio-missing"));
        step("refresh", browser.refresh());
        step("read-after-refresh", browser.me());
        String access = browser.cookie(Browser.ACCESS);
        step("logout", browser.logout());
        // The revoked access token, replayed as the SPA's cookie would be after the logout cleared it.
        step("replay-after-logout", browser.send("GET", "/api/users/me", null, java.util.Map.of("Cookie", Browser.ACCESS + "=" + access)));
    }

    static void serviceCalls(String auth, String secret) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(dev.suite.system.support.Tls.context())
                .connectTimeout(java.time.Duration.ofSeconds(5)).build();
        String request = new JsonObject().put("clientId", "user-service").put("clientSecret", secret).put("audience", "auth-service").encode();
        var tokenAnswer = http.send(json("POST", auth + "/internal/service-tokens", null, request), java.net.http.HttpResponse.BodyHandlers.ofString());
        System.out.println("service-token " + tokenAnswer.statusCode());
        String token = tokenAnswer.statusCode() == 200 ? new JsonObject(tokenAnswer.body()).getString("accessToken") : "none";
        String deletion = new JsonObject().put("currentPassword", "not-the-password-of-anyone").put("sessionId", UUID.randomUUID().toString()).encode();
        java.util.Map<String, java.net.http.HttpRequest> calls = new java.util.LinkedHashMap<>();
        calls.put("delete-account", json("DELETE", auth + "/internal/accounts/" + UUID.randomUUID(), token, deletion));
        calls.put("admin-revocations", json("POST", auth + "/admin/revocations", token, new JsonObject().put("userId", UUID.randomUUID().toString()).encode()));
        calls.put("admin-key-rotation", json("POST", auth + "/admin/keys/rotation", token, "{}"));
        calls.put("admin-key-withdrawal", json("POST", auth + "/admin/keys/some-kid/withdrawal", token, "{}"));
        calls.put("logout-all", json("POST", auth + "/logout-all", token, "{}"));
        for (var call : calls.entrySet()) {
            System.out.println(call.getKey() + " " + http.send(call.getValue(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }

    static void loginThrough(String gateway) {
        Browser browser = new Browser(gateway);
        step("csrf", browser.csrf());
        Answer login = browser.login("someone-" + UUID.randomUUID() + "@example.com", Browser.PASSWORD);
        System.out.println("login " + login.status() + " " + (login.isProblem() ? "problem" : "other:" + login.contentType().replace(' ', '_'))
                + " " + mark(login.body()));
    }

    static void get(String url, String bearer) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(dev.suite.system.support.Tls.context())
                .connectTimeout(java.time.Duration.ofSeconds(5)).build();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(10)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            var answer = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            System.out.println(answer.statusCode() + " " + mark(answer.body()));
        } catch (IOException e) {
            System.out.println("refused " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.out.println("refused interrupted");
        }
    }

    private static String mark(String body) {
        return body != null && body.contains(Impostor.MARK) ? "impostor" : "clean";
    }

    private static java.net.http.HttpRequest json(String method, String url, String bearer, String body) {
        var builder = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(10))
                .header("Content-Type", "application/json").method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder.build();
    }

    private static void step(String name, Answer answer) {
        System.out.println(name + " " + answer.status());
    }
}
