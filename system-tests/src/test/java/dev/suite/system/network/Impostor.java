package dev.suite.system.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The attacker's server in the cross-host test: started on the auth service's host, at its address and port, once the
 * real one is stopped (an attacker who took the address over), run there with {@code ip netns exec}. It speaks the scheme
 * the suite's callers use for the auth service (what an attacker would pick), over TLS with a certificate of its own CA
 * for the auth service's address: everything a certificate can say but who vouches for it. It serves a JWKS of its own
 * key at the auth service's path and answers everything else 200 with {@link #MARK} in the body, so an answer of its
 * that reached a user shows.
 *
 * <p>Arguments: ADDRESS PORT SCHEME KEYSTORE(PKCS12) JWKS-FILE; the key store's password in {@code IMPOSTOR_STORE_PASSWORD}.
 * Prints {@code listening} once bound; runs until killed.
 */
public final class Impostor {

    static final String MARK = "impostor-answer";

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        HttpServer server;
        if ("https".equals(args[2])) {
            HttpsServer https = HttpsServer.create(address, 50);
            https.setHttpsConfigurator(new HttpsConfigurator(context(Path.of(args[3]), System.getenv("IMPOSTOR_STORE_PASSWORD"))));
            server = https;
        } else {
            server = HttpServer.create(address, 50);
        }
        byte[] jwks = Files.readAllBytes(Path.of(args[4]));
        // A sign-in answer as the auth service gives one (every field the gateway reads), for a user of the impostor's.
        String later = java.time.Instant.now().plus(java.time.Duration.ofHours(1)).toString();
        String signIn = new io.vertx.core.json.JsonObject()
                .put("user", new io.vertx.core.json.JsonObject().put("id", java.util.UUID.randomUUID().toString())
                        .put("email", MARK + "@example.com").put("displayName", MARK))
                .put("sessionId", java.util.UUID.randomUUID().toString()).put("accessToken", MARK).put("accessExpiresAt", later)
                .put("refreshToken", MARK).put("refreshExpiresAt", later).encode();
        server.createContext("/", exchange -> {
            boolean keys = exchange.getRequestURI().getPath().endsWith("/jwks.json");
            System.out.println("request " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            answer(exchange, keys ? jwks : signIn.getBytes(StandardCharsets.UTF_8));
        });
        server.start();
        System.out.println("listening");
    }

    private static void answer(HttpExchange exchange, byte[] body) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static SSLContext context(Path store, String password) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }
}
