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
import java.util.Properties;
import java.util.UUID;

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
 * </ul>
 */
public final class Probe {

    static final int CONNECT_TIMEOUT_MS = 3000;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "tcp" -> {
                for (int i = 1; i < args.length; i++) {
                    String[] target = args[i].split(":");
                    System.out.println(args[i] + " " + tcp(target[0], Integer.parseInt(target[1])));
                }
            }
            case "pg" -> System.out.println(pg(args[1], args[2], args[3], args[4], System.getenv(args[5]), args[6]));
            case "flow" -> flow(args[1]);
            default -> throw new IllegalArgumentException("Unknown probe " + args[0]);
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

    private static void step(String name, Answer answer) {
        System.out.println(name + " " + answer.status());
    }
}
