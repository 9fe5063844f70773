package dev.suite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Per-IP limits: each test client connects from its own loopback address (127.0.0.x), so the limit it meets
 * is its own, exactly as two clients on two machines would.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class RateLimitTest {

    @ConfigProperty(name = "gateway.rate-limits.auth-per-window")
    int limit;

    @ConfigProperty(name = "gateway.rate-limits.all-per-window")
    int generalLimit;

    /** A refresh that spends a (stolen or used) refresh cookie: counted, then refused by the CSRF check (403). */
    private static final String SPENDING_REFRESH = "POST /api/auth/refresh";
    private static final String REFRESH_COOKIE = "Cookie: __Host-refresh=used-or-stolen\r\n";

    @Test
    void theAuthLimitPerIpAnswers429WithRetryAfterAndOtherClientsAreUnaffected() throws Exception {
        int noisyHost = 10 + new SecureRandom().nextInt(120);
        String noisy = "127.0.0." + noisyHost;
        String quiet = "127.0.0." + (noisyHost + 100);
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i <= limit; i++) {
            statuses.add(statusLine(noisy, SPENDING_REFRESH, REFRESH_COOKIE));
        }
        assertThat(statuses.subList(0, limit)).allMatch(status -> status.contains(" 403 "));
        assertThat(statuses.get(limit)).contains(" 429 ");
        assertThat(lastHeaders).anyMatch(header -> header.toLowerCase().startsWith("retry-after: "));
        assertThat(statusLine(quiet, SPENDING_REFRESH, REFRESH_COOKIE)).contains(" 403 ");
    }

    /**
     * Attack (issue 20): people behind one office address open the SPA signed out; each page load asks for the
     * profile (401) and tries a refresh without any refresh cookie. Before, each load spent one of the address's
     * auth attempts, so enough visitors locked everyone there out of signing in. Now no load spends one.
     */
    @Test
    void signedOutPageLoadsSpendNoAuthAttempt() throws Exception {
        String office = "127.0.1." + (10 + new SecureRandom().nextInt(200));
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i <= limit + 5; i++) {
            statuses.add(statusLine(office, "GET /api/users/me", ""));
            statuses.add(statusLine(office, "POST /api/auth/refresh", ""));
        }
        assertThat(statuses).allMatch(status -> status.contains(" 401 "));
        // Signing in from that address still reaches the CSRF check (403 without a token), never a 429.
        assertThat(statusLine(office, "POST /api/auth/login", "")).contains(" 403 ");
    }

    /**
     * Attack: a signed-in client reads as fast as it can. Its reads spend the general counter in the same Redis round
     * trip as its token's revocation check (issue 19); they must still be counted, one each, and refused with 429 once
     * the window's limit is spent, while a client at another address reads on. Also, a token that does not verify is
     * still counted: 429 comes before 401, as for every other route.
     */
    @Test
    void signedInReadsSpendTheGeneralLimitAndAreRefusedPastIt() throws Exception {
        GatewayClient reader = GatewayClient.signedIn("Reader");
        String access = "Cookie: __Host-access=" + reader.jar.get("__Host-access") + "\r\n";
        int host = 10 + new SecureRandom().nextInt(200);
        String greedy = "127.0.2." + host;
        List<String> statuses = keepAliveReads(greedy, access, generalLimit + 1);
        assertThat(statuses.subList(0, generalLimit)).allMatch(status -> status.contains(" 200 "));
        assertThat(statuses.get(generalLimit)).contains(" 429 ");
        assertThat(statusLine(greedy, "GET /api/users/me", "Cookie: __Host-access=not-a-token\r\n")).contains(" 429 ");
        assertThat(statusLine("127.0.3." + host, "GET /api/users/me", access)).contains(" 200 ");
        assertThat(statusLine("127.0.3." + host, "GET /api/users/me", "Cookie: __Host-access=not-a-token\r\n")).contains(" 401 ");
    }

    /** {@code count} GETs of the profile on one kept-alive TLS connection from the given address; their status lines. */
    private List<String> keepAliveReads(String fromAddress, String extraHeaders, int count) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] { new TrustAnything() }, new SecureRandom());
        List<String> statuses = new ArrayList<>();
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), 18443,
                InetAddress.getByName(fromAddress), 0)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            byte[] request = ("GET /api/users/me HTTP/1.1\r\nHost: localhost:18443\r\n" + extraHeaders + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) {
                out.write(request);
                out.flush();
                statuses.add(readLine(in));
                int length = 0;
                for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring("content-length:".length()).trim());
                    }
                }
                in.readNBytes(length);
            }
        }
        return statuses;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the gateway closed the connection after " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private List<String> lastHeaders = List.of();

    /** One HTTP/1.1 request over TLS from the given local address; returns the status line. */
    private String statusLine(String fromAddress, String requestLine, String extraHeaders) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] { new TrustAnything() }, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), 18443,
                InetAddress.getByName(fromAddress), 0)) {
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: localhost:18443\r\n" + extraHeaders + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = in.readLine();
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line);
            }
            lastHeaders = headers;
            return status;
        }
    }

    /** The test talks to its own gateway with the dev certificate; what is tested here is the limit, not TLS. */
    private static final class TrustAnything implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
