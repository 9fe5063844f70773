package dev.suite.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Bytes no HTTP client library would send (two Host headers, Transfer-Encoding next to Content-Length, an
 * h2c upgrade), written as they are to the gateway's plain or TLS port. Reads until the server closes the
 * connection or stays silent for a moment, so a second (smuggled) answer on the same connection is seen too.
 */
final class RawHttp {

    static final int TLS_PORT = 18443;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})[^\\r\\n]*");

    /** What came back: the raw text, and whether the server closed the connection (rather than going quiet). */
    record Exchange(String raw, boolean closedByServer) {

        /** Status codes of every HTTP/1.x answer on the connection, in order. */
        List<Integer> statuses() {
            List<Integer> statuses = new ArrayList<>();
            Matcher m = STATUS_LINE.matcher(raw);
            while (m.find()) {
                statuses.add(Integer.parseInt(m.group(1)));
            }
            return statuses;
        }

        boolean hasHeader(String name, String valuePart) {
            return raw.toLowerCase(Locale.ROOT).lines().anyMatch(line -> line.startsWith(name.toLowerCase(Locale.ROOT) + ":")
                    && line.contains(valuePart.toLowerCase(Locale.ROOT)));
        }

        @Override
        public String toString() {
            return (closedByServer ? "[closed by server] " : "[left open] ") + raw;
        }
    }

    private RawHttp() {
    }

    static Exchange tls(String request) {
        return send(true, TLS_PORT, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Exchange plain(int port, String request) {
        return send(false, port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Exchange send(boolean tls, int port, byte[] bytes) {
        try (Socket socket = tls ? trustAnything().getSocketFactory().createSocket("localhost", port) : new Socket("localhost", port)) {
            socket.setSoTimeout(1500);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed = readUntilCloseOrQuiet(socket.getInputStream(), received);
            return new Exchange(received.toString(StandardCharsets.ISO_8859_1), closed);
        } catch (IOException e) {
            return new Exchange("connection failed: " + e.getMessage(), true);
        }
    }

    private static boolean readUntilCloseOrQuiet(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                into.write(buffer, 0, n);
            }
            return true;
        } catch (SocketTimeoutException quiet) {
            return false;
        } catch (IOException reset) {
            // A server that closes without reading everything we sent resets the connection: closed, too.
            return true;
        }
    }

    /** The test talks to its own gateway with the dev certificate; what is tested here is HTTP, not TLS. */
    static SSLContext trustAnything() {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] { new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            } }, new SecureRandom());
            return tls;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
