package dev.suite.system.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes no well-behaved HTTP client would send (CR/LF or NUL inside a header, invalid UTF-8, a raw {@code ../}),
 * written as they are over TLS to the gateway. One request per connection ({@code Connection: close}).
 */
public final class RawHttps {

    private RawHttps() {
    }

    /** Sends {@code head} (request line and headers, without the blank line) plus body; returns the answer. */
    public static Answer send(int port, String head, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        String lower = head.toLowerCase(Locale.ROOT);
        if (!lower.contains("\r\nhost:")) {
            request.writeBytes("\r\nHost: localhost".getBytes(StandardCharsets.ISO_8859_1));
        }
        request.writeBytes("\r\nConnection: close".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            request.writeBytes(("\r\nContent-Length: " + body.length).getBytes(StandardCharsets.ISO_8859_1));
        }
        request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            request.writeBytes(body);
        }
        return send(port, request.toByteArray());
    }

    public static Answer send(int port, byte[] bytes) {
        return send(port, bytes, true);
    }

    /** Plain HTTP, for the gateway's redirecting port. */
    public static Answer sendPlain(int port, String head) {
        return send(port, (head + "\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false);
    }

    private static Answer send(int port, byte[] bytes, boolean tls) {
        long started = System.nanoTime();
        try (java.net.Socket socket = tls ? Tls.context().getSocketFactory().createSocket("localhost", port)
                : new java.net.Socket("localhost", port)) {
            socket.setSoTimeout((int) Http.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            byte[] received = readAll(socket.getInputStream());
            return Http.keep(parse(new String(received, StandardCharsets.UTF_8), (System.nanoTime() - started) / 1_000_000));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("No complete answer within " + Http.TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            // The server may close before reading everything we sent (e.g. an oversized request): no answer at all.
            return new Answer(0, Map.of(), "connection closed: " + e.getMessage(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
            }
        } catch (javax.net.ssl.SSLException e) {
            // A peer that closes without close_notify after answering: keep what arrived.
            if (all.size() == 0) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    static Answer parse(String raw, long millis) {
        int end = raw.indexOf("\r\n\r\n");
        String head = end < 0 ? raw : raw.substring(0, end);
        String body = end < 0 ? "" : raw.substring(end + 4);
        String[] lines = head.split("\r\n");
        int status = 0;
        if (lines.length > 0 && lines[0].startsWith("HTTP/")) {
            String[] statusLine = lines[0].split(" ");
            status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
        }
        Map<String, List<String>> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
        }
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", List.of("")).get(0))) {
            body = unchunk(body);
        }
        return new Answer(status, headers, body, millis);
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }
}
